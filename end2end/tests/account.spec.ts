import { createHmac } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { waitForMail } from "../pages/mail";
import { OwnServer } from "../pages/server";
import { keep, SignInPage } from "../pages/sign-in";

// Passwords and second factors of demo accounts change here, so the spec runs on a server of its
// own, whose data folder (and the mail files in it) it can read.
let server: OwnServer;

test.beforeAll(async () => {
  server = await OwnServer.start();
});

test.afterAll(async () => {
  await server?.stop();
});

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 `secret` at `unixSeconds`. */
function totp(secret: string, unixSeconds: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of secret.replace(/=+$/, "").toUpperCase()) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

/** The path of the reset link mailed to `email` (read from the server's mail folder). */
async function mailedResetLink(email: string): Promise<string> {
  const mail = await waitForMail(server.dataDir, email, ["/reset-password?token="]);
  const found = mail.body.match(/https?:\/\/\S+?(\/reset-password\?token=\S+)/);
  expect(found, mail.body).not.toBeNull();
  return found![1];
}

async function page(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseURL });
  return context.newPage();
}

async function signIn(page: Page, email: string, password: string, landing: string) {
  const signInPage = new SignInPage(page);
  await signInPage.open();
  await signInPage.signIn(email, password);
  await expect(page.getByRole("heading", { name: landing })).toBeVisible();
}

test("a customer changes the password in Profile and signs in with the new one", async ({ browser }) => {
  const boris = await page(browser);
  await signIn(boris, "customer2@demo.example", "demo", "My tickets");
  await boris.goto("/profile");
  const form = boris.getByRole("region", { name: "Change password" });
  await form.getByLabel("Current password").fill("demo");
  await form.getByLabel("New password").fill("a brand new password");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toHaveText("Password changed");
  await keep(boris, "profile-password-changed");
  await boris.getByRole("button", { name: "Sign out" }).first().click();
  await expect(boris.getByRole("button", { name: "Sign in" })).toBeVisible();
  await signIn(boris, "customer2@demo.example", "a brand new password", "My tickets");
});

test("a forgotten password is reset through the mailed link", async ({ browser }) => {
  const anna = await page(browser);
  await anna.goto("/sign-in");
  await anna.getByRole("link", { name: "Forgot password?" }).click();
  await expect(anna).toHaveURL(/\/forgot-password$/);
  await anna.getByLabel("Email").fill("customer@demo.example");
  await anna.getByRole("button", { name: "Send the link" }).click();
  await expect(anna.locator("form").getByRole("status")).toContainText("a link is on its way");
  const link = await mailedResetLink("customer@demo.example");
  await anna.goto(link);
  await anna.getByLabel("New password").fill("reset by the link");
  await anna.getByRole("button", { name: "Set password" }).click();
  await expect(anna.locator("form").getByRole("status")).toContainText("Your password is set");
  await keep(anna, "password-reset");
  // The link works once.
  await anna.getByRole("button", { name: "Set password" }).click();
  await expect(anna.locator("form").getByRole("alert")).toContainText("used or is out of date");
  await signIn(anna, "customer@demo.example", "reset by the link", "My tickets");
});

test("an agent sets up a second factor in Profile and signs in with a code", async ({ browser }) => {
  const vera = await page(browser);
  await signIn(vera, "engineer@demo.example", "demo", "Queue");
  await vera.goto("/profile");
  const section = vera.getByRole("region", { name: "Two-factor authentication" });
  await section.getByRole("button", { name: "Set up" }).click();
  await expect(section.locator(".qr-code svg")).toBeVisible();
  const secret = (await section.locator(".totp-secret").textContent())!.trim();
  await section.getByLabel("Authentication code").fill(totp(secret, Date.now() / 1000));
  await section.getByRole("button", { name: "Confirm" }).click();
  await expect(section.locator(".recovery-codes li")).toHaveCount(10);
  await keep(vera, "profile-two-factor");
  await vera.getByRole("button", { name: "Sign out" }).first().click();

  const signInPage = new SignInPage(vera);
  await signInPage.open();
  await signInPage.signIn("engineer@demo.example");
  await expect(vera.locator("form").getByRole("alert")).toHaveText(/code from your authenticator app/);
  // The next time step's code: the one used to confirm works only once.
  await vera.getByLabel("Authentication code").fill(totp(secret, Date.now() / 1000 + 30));
  await vera.getByRole("button", { name: "Sign in" }).click();
  await expect(vera.getByRole("heading", { name: "Queue" })).toBeVisible();
});

test("another session is ended from the sessions list", async ({ browser }) => {
  const first = await page(browser);
  const second = await page(browser);
  await signIn(first, "lead@demo.example", "demo", "Queue");
  await signIn(second, "lead@demo.example", "demo", "Queue");
  expect((await second.request.get("/api/me")).status()).toBe(200);
  await first.goto("/profile");
  const sessions = first.getByRole("region", { name: "Sessions" });
  await expect(sessions.getByRole("listitem")).toHaveCount(2);
  await expect(sessions.getByRole("listitem").filter({ hasText: "this session" })).toHaveCount(1);
  await sessions.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(sessions.getByRole("listitem")).toHaveCount(1);
  expect((await second.request.get("/api/me")).status()).toBe(401);
  expect((await first.request.get("/api/me")).status()).toBe(200);
});
