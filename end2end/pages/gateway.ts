/**
 * The mail gateway as an MTA drives it: raw messages from registered customers, each of which
 * registers a new ticket. The fastest way for a spec to file many tickets.
 */

/** One raw message from `sender` with `subject`. */
export function mail(index: number, sender: string, subject: string): string {
  return [
    `From: Demo Customer <${sender}>`,
    "To: support@reglament.example",
    `Subject: ${subject}`,
    `Message-ID: <bulk-${index}-${Date.now()}-${Math.random().toString(36).slice(2)}@demo.example>`,
    `Date: ${new Date().toUTCString()}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    `The nightly import stopped at record ${index}. The log is attached to the next message.`,
    "",
  ].join("\r\n");
}

/**
 * Files `count` tickets the way a large customer base would by mail: through the product's own
 * gateway endpoint (authorised by the server's `--inbound-token`), one message after another as
 * an MTA delivers them (SQLite writes one transaction at a time anyway). Half come from each
 * demo organisation: Northwind's standard plan keeps office hours, Volga Energy's assistance
 * plan runs 24x7. `subject` names the message of each index.
 *
 * Like a real gateway it delivers again a message the server could not store (a 5xx: nothing
 * was committed, and a Message-ID is ingested once): on SQLite a registration that meets another
 * writer, such as the outbox worker, is refused with "database is locked". It waits a little
 * longer before each new attempt. Returns how many deliveries were repeated.
 */
export async function fileByMail(
  baseURL: string,
  gatewayToken: string,
  count: number,
  subject: (index: number) => string,
): Promise<number> {
  const senders = ["customer@demo.example", "customer2@demo.example"];
  let repeated = 0;
  for (let index = 0; index < count; index++) {
    const message = mail(index, senders[index % senders.length], subject(index));
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${baseURL}/api/inbound/email`, {
        method: "POST",
        body: message,
        headers: { Authorization: `Bearer ${gatewayToken}`, "Content-Type": "message/rfc822" },
      });
      const body = await response.text();
      if (response.status >= 500 && attempt < 20) {
        repeated++;
        await new Promise((wait) => setTimeout(wait, 25 * attempt));
        continue;
      }
      // A plain check: thousands of expect() steps would cost the test runner more than the server.
      if (response.status !== 201 || JSON.parse(body).outcome !== "created") {
        throw new Error(`message ${index}: ${response.status} ${body}`);
      }
      break;
    }
  }
  return repeated;
}
