import { expect, request, test, type Page } from "@playwright/test";
import { tokenFor } from "../pages/portal";
import { OwnServer } from "../pages/server";
import { keep, signedIn } from "../pages/sign-in";

// Issue 24, item 9 [004] in both languages: scheduled off-hours work agreed at least two working
// days ahead in the plan's calendar, and paid work drawn from the organisation's prepaid
// balance. A server of this spec's own: the balance it tops up and the tickets it holds reach
// nobody else's pages.
let server: OwnServer;

test.beforeAll(async () => {
  server = await OwnServer.start(["--job-interval-seconds", "1"]);
});

test.afterAll(async () => {
  await server?.stop();
});

type Labels = {
  code: "en" | "ru";
  subject: string;
  productVersion: string;
  description: string;
  submit: string;
  scheduled: string;
  start: string;
  end: string;
  earliest: string;
  onHold: string;
  paid: string;
  minutes: string;
  send: string;
  reply: string;
  balance: string;
  minutesShort: string;
};

const LANGUAGES: Labels[] = [
  {
    code: "en",
    subject: "Subject",
    productVersion: "Product version",
    description: "Description",
    submit: "Submit",
    scheduled: "Scheduled off-hours work",
    start: "Start of the work",
    end: "End of the work",
    earliest: "Earliest start",
    onHold: "On hold",
    paid: "Paid work",
    minutes: "Time spent, minutes",
    send: "Send",
    reply: "Reply",
    balance: "Prepaid balance",
    minutesShort: "min",
  },
  {
    code: "ru",
    subject: "Тема",
    productVersion: "Версия продукта",
    description: "Описание",
    submit: "Отправить",
    scheduled: "Плановые работы в нерабочее время",
    start: "Начало работ",
    end: "Окончание работ",
    earliest: "Самое раннее начало",
    onHold: "Отложено",
    paid: "Платная услуга",
    minutes: "Затрачено, минут",
    send: "Отправить",
    reply: "Ответить",
    balance: "Предоплаченный баланс",
    minutesShort: "мин",
  },
];

/** Calls the API as `email`. */
async function apiAs(email: string) {
  const token = await tokenFor(server.baseURL, email);
  return request.newContext({ baseURL: server.baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

/** Sets the language of the signed-in account on its profile page. */
async function chooseLanguage(page: Page, code: "en" | "ru") {
  await page.goto("/profile");
  await page.locator("#profile-language").selectOption(code);
  await page.getByRole("button", { name: code === "ru" ? "Сохранить" : "Save" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", code);
}

/** `2026-12-09T18:00` for the `datetime-local` input, `days` days after the local `text`. */
function shifted(text: string, days: number, time?: string): string {
  const [date, clock] = text.split(" ");
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return `${day.toISOString().slice(0, 10)}T${time ?? clock}`;
}

async function fillTicket(page: Page, L: Labels, subject: string) {
  await page.goto("/tickets/new");
  await page.getByLabel(L.subject, { exact: true }).fill(subject);
  await page.getByLabel(L.productVersion).fill("5.2.1");
  await page.getByLabel(L.description, { exact: true }).fill("Reload the address catalogue at night.");
}

for (const L of LANGUAGES) {
  test(`scheduled work needs two working days of notice and waits on hold (${L.code})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const customer = await signedIn(browser, "customer@demo.example", "My tickets", server.baseURL);
    const agent = await signedIn(browser, "agent@demo.example", "Queue", server.baseURL);
    try {
      await chooseLanguage(customer, L.code);
      const subject = `Night catalogue reload ${L.code} ${Date.now()}`;
      await fillTicket(customer, L, subject);
      await customer.getByLabel(L.scheduled).check();
      const hint = customer.getByTestId("earliest-start");
      await expect(hint).toContainText(L.earliest);
      // "Earliest start: 2026-12-09 19:00 (Europe/Moscow)".
      const earliest = (await hint.textContent())!.match(/(\d{4}-\d{2}-\d{2} \d{2}:\d{2})/)![1];
      // A day too early: the form says so at once, and so does the server.
      await customer.getByLabel(new RegExp(`^${L.start}`)).fill(shifted(earliest, -1));
      await customer.getByLabel(new RegExp(`^${L.end}`)).fill(shifted(earliest, -1, "23:30"));
      const startError = customer.locator("#scheduled-start-error");
      await expect(startError).toContainText(earliest);
      await customer.getByRole("button", { name: L.submit }).click();
      await expect(startError).toContainText(earliest);
      await expect(customer).toHaveURL(/\/tickets\/new$/);
      await keep(customer, `regulation-scheduled-too-early-${L.code}`);
      // A day after the earliest start, at night: taken, and on hold until then.
      await customer.getByLabel(new RegExp(`^${L.start}`)).fill(shifted(earliest, 1, "22:00"));
      await customer.getByLabel(new RegExp(`^${L.end}`)).fill(shifted(earliest, 1, "23:30"));
      await expect(startError).toBeEmpty();
      await customer.getByRole("button", { name: L.submit }).click();
      await expect(customer).toHaveURL(/\/tickets\/RG-\d+$/);
      const reference = customer.url().split("/").pop()!;
      await expect(customer.locator(".ticket-meta")).toContainText(L.onHold);
      await expect(customer.getByTestId("scheduled-work")).toContainText(L.scheduled);
      await expect(customer.getByTestId("hold-reason")).toContainText("scheduled work");
      await keep(customer, `regulation-scheduled-held-${L.code}`);

      // Staff see it on the ticket and in the queue.
      await agent.goto(`/queue?q=${reference}`);
      const row = agent.locator(`tr[data-reference="${reference}"]`);
      await expect(row.getByTestId("scheduled-work")).toBeVisible();
      await expect(row.locator(".countdown").first()).toHaveAttribute("data-state", "paused");
      await agent.goto(`/tickets/${reference}`);
      await expect(agent.getByTestId("scheduled-work")).toBeVisible();
    } finally {
      await chooseLanguage(customer, "en");
      for (const page of [customer, agent]) await page.context().close();
    }
  });

  test(`paid work is drawn from the prepaid balance an admin keeps (${L.code})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const admin = await signedIn(browser, "admin@demo.example", "Queue", server.baseURL);
    const customer = await signedIn(browser, "customer@demo.example", "My tickets", server.baseURL);
    const agent = await signedIn(browser, "agent@demo.example", "Queue", server.baseURL);
    const api = await apiAs("admin@demo.example");
    try {
      for (const page of [admin, customer, agent]) await chooseLanguage(page, L.code);
      const organisations = await (await api.get("/api/admin/organisations")).json();
      const northwind = organisations.find((o: { name: string }) => o.name === "Northwind Logistics").id;
      // Start from an empty balance, as an admin's correction would.
      const start = await (await api.get(`/api/admin/organisations/${northwind}/balance`)).json();
      if (start.minutes !== 0) {
        const zero = await api.post(`/api/admin/organisations/${northwind}/balance`, {
          data: { kind: "correction", minutes: -start.minutes, comment: "Start of the test" },
        });
        expect(zero.status(), await zero.text()).toBe(201);
      }

      // Nothing prepaid: the paid request is refused, naming the field.
      const subject = `Voice gateway setup ${L.code} ${Date.now()}`;
      await fillTicket(customer, L, subject);
      await customer.getByLabel(L.paid).check();
      await customer.getByRole("button", { name: L.submit }).click();
      await expect(customer.locator("#paid-work-error")).not.toBeEmpty();
      await expect(customer).toHaveURL(/\/tickets\/new$/);

      // The admin tops the balance up on the organisation's page.
      await admin.goto(`/admin/organisations?balance=${northwind}`);
      const card = admin.locator("section.balance");
      await expect(card.getByTestId("balance")).toContainText(`0 ${L.minutesShort}`);
      await card.locator("#balance-minutes").fill("90");
      await card.locator("#balance-comment").fill(`Invoice ${L.code}`);
      await card.getByRole("button").click();
      await expect(card.getByTestId("balance")).toContainText(`90 ${L.minutesShort}`);
      await expect(card.locator("table.balance-history")).toContainText(`Invoice ${L.code}`);

      // Now it is taken; the agent records half an hour on the reply.
      await customer.getByRole("button", { name: L.submit }).click();
      await expect(customer).toHaveURL(/\/tickets\/RG-\d+$/);
      const reference = customer.url().split("/").pop()!;
      await expect(customer.locator(".ticket-meta")).toContainText(L.paid);
      await agent.goto(`/tickets/${reference}`);
      await agent.getByLabel(L.reply, { exact: true }).fill("The gateway is configured.");
      await agent.getByLabel(L.minutes).fill("30");
      await agent.locator(".reply-box form").first().getByRole("button", { name: L.send }).click();
      const message = agent.locator(".message").filter({ hasText: "The gateway is configured." });
      await expect(message.getByTestId("minutes")).toHaveText(`30 ${L.minutesShort}`);
      await keep(agent, `regulation-paid-reply-${L.code}`);

      // The organisation's page shows what is left and the work in its history.
      await admin.reload();
      await expect(card.getByTestId("balance")).toContainText(`60 ${L.minutesShort}`);
      const work = card.locator("table.balance-history tr[data-kind='work']").filter({ hasText: reference });
      await expect(work).toHaveCount(1);
      await expect(work).toContainText("-30");
      await keep(admin, `regulation-paid-balance-${L.code}`);
    } finally {
      for (const page of [admin, customer, agent]) {
        await chooseLanguage(page, "en");
        await page.context().close();
      }
      await api.dispose();
    }
  });
}
