import { expect, test, type Page } from "@playwright/test";
import { fileByMail } from "../pages/gateway";
import { OwnServer } from "../pages/server";
import { keep, signedIn } from "../pages/sign-in";

// More tickets than one page of the queue holds (50), filed on a server of this spec's own so
// that they reorder nobody else's queue.
const SEEDED = 60;
const BURST = 12;
const GATEWAY_TOKEN = "e2e-gateway-token-for-the-queue-counters";

let server: OwnServer;

test.beforeAll(async () => {
  server = await OwnServer.start(["--inbound-token", GATEWAY_TOKEN]);
});

test.afterAll(async () => {
  await server?.stop();
});

type Counts = { total: number; running: number; at_risk: number; breached: number; paused: number };

/** The queue's counters as the page shows them, by their labels, read in one go. */
async function shown(page: Page): Promise<Counts> {
  const texts = await page.getByRole("list", { name: "counters" }).getByRole("listitem").allTextContents();
  const read = (label: string) => {
    const text = texts.find((item) => new RegExp(`^${label}: \\d+$`, "i").test(item.trim()));
    return text === undefined ? NaN : Number(text.split(":").pop());
  };
  return {
    total: read("Total"),
    running: read("Running"),
    at_risk: read("At risk"),
    breached: read("Breached"),
    paused: read("Paused"),
  };
}

test("the queue's counters count the whole view, not the loaded page, and follow new tickets live", async ({ browser }) => {
  test.setTimeout(180_000);
  await fileByMail(server.baseURL, GATEWAY_TOKEN, SEEDED, (index) => `Okapi ${index}: the nightly import stopped`);

  const agent = await signedIn(browser, "agent@demo.example", "Queue", server.baseURL);
  // The page's live stream would keep the server from stopping: the context closes however the
  // test ends.
  try {
    await watchCounters(agent);
  } finally {
    await agent.context().close();
  }
});

async function watchCounters(agent: Page) {
  await expect(agent.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  const rows = agent.locator("table.queue-list tbody tr");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count(), "one page of rows").toBe(50);

  // The open queue: the server's counts of every open ticket, shown as they are.
  const counted = async (query: string): Promise<Counts> => {
    const response = await agent.request.get(`/api/tickets/counts${query}`);
    expect(response.ok(), await response.text()).toBeTruthy();
    return response.json();
  };
  // (The server is asked again on each try: its background job may move a demo ticket.)
  const fields = (counts: Counts) => [counts.total, counts.running, counts.at_risk, counts.breached, counts.paused];
  await expect
    .poll(async () => {
      const [page, api] = [fields(await shown(agent)), fields(await counted(""))];
      return page.every((value, index) => value === api[index]);
    }, { message: "the page shows the server's counts of the open queue" })
    .toBe(true);
  const everything = await shown(agent);
  expect(everything.total, "the seeded and the demo tickets").toBeGreaterThanOrEqual(SEEDED + 5);
  expect(everything.running, "more running tickets than the page has rows").toBeGreaterThan(50);

  // The search: exactly the seeded tickets, all of them running (mail registers a usage
  // question, whose first response runs on either plan), though the page lists 50.
  await agent.getByRole("searchbox", { name: "Search" }).fill("Okapi");
  await agent.getByRole("button", { name: "Search", exact: true }).click();
  await expect(agent).toHaveURL(/q=Okapi/);
  await expect.poll(() => shown(agent)).toEqual({ total: SEEDED, running: SEEDED, at_risk: 0, breached: 0, paused: 0 });
  await expect(rows).toHaveCount(50);
  await keep(agent, "queue-counters");

  // Another view counts its own tickets: none of the seeded ones is the agent's.
  await agent.getByRole("link", { name: "Mine" }).click();
  await expect(agent).toHaveURL(/view=mine/);
  await expect.poll(() => shown(agent)).toEqual({ total: 0, running: 0, at_risk: 0, breached: 0, paused: 0 });
  await agent.getByRole("link", { name: "Unassigned" }).click();
  await expect(agent).toHaveURL(/view=unassigned/);
  await expect.poll(() => shown(agent)).toEqual({ total: SEEDED, running: SEEDED, at_risk: 0, breached: 0, paused: 0 });

  // Live: a new ticket adds to the counters without a reload.
  const asked: string[] = [];
  agent.on("request", (sent) => {
    if (new URL(sent.url()).pathname === "/api/tickets/counts") asked.push(sent.url());
  });
  const started = Date.now();
  await fileByMail(server.baseURL, GATEWAY_TOKEN, 1, () => "Okapi latecomer: the import stopped again");
  await expect.poll(() => shown(agent), { timeout: 10_000 }).toMatchObject({ total: SEEDED + 1, running: SEEDED + 1 });
  console.log(`new ticket to counters: ${Date.now() - started} ms`);

  // A burst of arrivals is counted again once it settles, not once per event.
  asked.length = 0;
  await fileByMail(server.baseURL, GATEWAY_TOKEN, BURST, (index) => `Okapi burst ${index}: the import stopped`);
  await expect.poll(() => shown(agent), { timeout: 10_000 }).toMatchObject({ total: SEEDED + 1 + BURST, running: SEEDED + 1 + BURST });
  await agent.waitForTimeout(1000);
  console.log(`${BURST} arrivals in a burst: ${asked.length} count requests`);
  expect(asked.length, `${BURST} arrivals asked for the counts ${asked.length} times`).toBeLessThan(BURST);
  expect(asked.length).toBeGreaterThan(0);
  await keep(agent, "queue-counters-live");
}
