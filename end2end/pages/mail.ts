import { expect } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One mail the server wrote to `<data-dir>/mail/`, its body decoded. */
export type Mail = { file: string; to: string; body: string };

/** Undoes the Content-Transfer-Encoding of a single-part body. */
function decode(encoding: string, body: string): string {
  switch (encoding.toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable": {
      const bytes = body
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, "latin1").toString("utf8");
    }
    default:
      return body;
  }
}

/** Reads one `.eml` file: its recipient and its decoded text. */
function read(path: string): Mail {
  const raw = readFileSync(path, "utf8");
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, " ");
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, "");
  const header = (name: string) =>
    head
      .split(/\r?\n/)
      .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim() ?? "";
  return { file: path, to: header("To"), body: decode(header("Content-Transfer-Encoding"), body) };
}

/**
 * Waits until the server has written the mail to `address` whose text holds every one of
 * `needles` and returns it (the outbox worker delivers committed mail within seconds).
 */
export async function waitForMail(dataDir: string, address: string, needles: string[]): Promise<Mail> {
  const folder = join(dataDir, "mail");
  let found: Mail | undefined;
  await expect
    .poll(
      () => {
        const names = readdirSync(folder).filter((name) => name.endsWith(".eml"));
        found = names
          .map((name) => read(join(folder, name)))
          .find((mail) => mail.to.includes(address) && needles.every((needle) => mail.body.includes(needle)));
        return found !== undefined;
      },
      { timeout: 15_000, message: `mail to ${address} holding ${needles.join(", ")}` },
    )
    .toBe(true);
  return found!;
}

/** The path of the rating link (`/rate/…`) in a resolution mail. */
export function ratingLinkIn(mail: Mail): string {
  const match = mail.body.match(/https?:\/\/\S+?(\/rate\/\S+)/);
  expect(match, mail.body).not.toBeNull();
  return match![1];
}
