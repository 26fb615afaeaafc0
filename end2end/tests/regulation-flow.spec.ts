import { expect, test, type Page } from "@playwright/test";
import { fileTicketAs, StaffApi, tokenFor } from "../pages/portal";
import { keep, signedIn } from "../pages/sign-in";

// Issue 24's ticket flow in both languages: a phone ticket registered for a customer (4), the
// requester's details (12), on hold with a reason (13) and the L2 hand-off (11).

type Labels = {
  code: "en" | "ru";
  newForCustomer: string;
  customer: string;
  channel: string;
  phone: string;
  subject: string;
  productVersion: string;
  description: string;
  submit: string;
  requester: string;
  otherOpen: string;
  hold: string;
  holdForm: string;
  reasonKind: string;
  reason: string;
  onHold: string;
  vendorFix: string;
  resume: string;
  open: string;
  escalate: string;
  comment: string;
  escalated: string;
  knownErrors: string;
};

const LANGUAGES: Labels[] = [
  {
    code: "en",
    newForCustomer: "New ticket for a customer",
    customer: "Customer",
    channel: "Channel",
    phone: "Phone",
    subject: "Subject",
    productVersion: "Product version",
    description: "Description",
    submit: "Submit",
    requester: "Requester",
    otherOpen: "Other open tickets",
    hold: "Hold",
    holdForm: "Hold",
    reasonKind: "Reason kind",
    reason: "Reason",
    onHold: "On hold",
    vendorFix: "Waiting for a vendor fix",
    resume: "Resume",
    open: "Open",
    escalate: "Escalate",
    comment: "Comment",
    escalated: "Escalated",
    knownErrors: "Known errors",
  },
  {
    code: "ru",
    newForCustomer: "Новое обращение за клиента",
    customer: "Клиент",
    channel: "Канал",
    phone: "Телефон",
    subject: "Тема",
    productVersion: "Версия продукта",
    description: "Описание",
    submit: "Отправить",
    requester: "Заявитель",
    otherOpen: "Другие открытые обращения",
    hold: "Отложить",
    holdForm: "Отложить",
    reasonKind: "Вид причины",
    reason: "Причина",
    onHold: "Отложено",
    vendorFix: "Ожидание исправления от производителя",
    resume: "Возобновить",
    open: "В работе",
    escalate: "Эскалировать",
    comment: "Комментарий",
    escalated: "Эскалировано",
    knownErrors: "Известные ошибки",
  },
];

/** Chooses the profile's language on the profile page, as a person would. */
async function chooseLanguage(page: Page, code: "en" | "ru") {
  await page.goto("/profile");
  await page.locator("#profile-language").selectOption(code);
  await page.getByRole("button", { name: code === "ru" ? "Сохранить" : "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: code === "ru" ? "Сохранено" : "Saved" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", code);
}

/** Puts the accounts back in English for the specs that follow on the same server. */
async function backToEnglish(baseURL: string, emails: string[]) {
  for (const email of emails) {
    const api = await StaffApi.signIn(baseURL, email);
    const reply = await api.api.patch("/api/me", { data: { locale: "en" } });
    expect(reply.status(), await reply.text()).toBeLessThan(300);
    await api.dispose();
  }
}

for (const L of LANGUAGES) {
  test(`phone ticket, requester details, hold and the L2 hand-off (${L.code})`, async ({ browser, baseURL }) => {
    test.setTimeout(150_000);
    const stamp = Date.now();
    // An earlier open ticket of Anna's: the agent sees it among her other open tickets.
    const earlier = await fileTicketAs(baseURL!, `Earlier ${L.code} ${stamp}`);
    const agent = await signedIn(browser, "agent@demo.example", "Queue");
    const customer = await signedIn(browser, "customer@demo.example", "My tickets");
    try {
      if (L.code === "ru") {
        await chooseLanguage(agent, "ru");
        await chooseLanguage(customer, "ru");
      }

      // 4: the agent registers a phone call for Anna from the dashboard.
      await agent.goto("/queue");
      await agent.getByRole("link", { name: L.newForCustomer }).click();
      await expect(agent.getByRole("heading", { name: L.newForCustomer })).toBeVisible();
      await agent.getByRole("searchbox", { name: L.customer }).fill("Anna");
      await agent.getByRole("button", { name: /customer@demo\.example/ }).click();
      await expect(agent.getByTestId("chosen-customer")).toContainText("customer@demo.example");
      await agent.getByLabel(L.channel).selectOption("phone");
      const subject = `Phoned in ${L.code} ${stamp}`;
      await agent.getByLabel(L.subject, { exact: true }).fill(subject);
      await agent.getByLabel(L.productVersion).fill("5.2.1");
      await agent.getByLabel(L.description, { exact: true }).fill("Anna called: the label printer is offline.");
      await agent.getByRole("button", { name: L.submit }).click();
      await expect(agent).toHaveURL(/\/tickets\/RG-\d+$/);
      const reference = agent.url().split("/").pop()!;
      await expect(agent.getByTestId("channel")).toContainText(L.phone);

      // 12: who the ticket is for, with the contract, plan and her other open tickets.
      const card = agent.getByRole("region", { name: L.requester });
      await expect(card).toContainText("Anna Customer");
      await expect(card).toContainText("customer@demo.example");
      await expect(card).toContainText("Northwind Logistics");
      await expect(card).toContainText("#");
      await expect(card.getByRole("heading", { name: L.otherOpen })).toBeVisible();
      await expect(card.getByRole("link", { name: earlier })).toBeVisible();
      await keep(agent, `regulation-flow-requester-${L.code}`);

      // The customer has it, registered by the agent, as her own.
      await customer.goto(`/tickets/${reference}`);
      await expect(customer.getByRole("heading", { name: subject })).toBeVisible();
      await expect(customer.getByTestId("channel")).toContainText(L.phone);
      await expect(customer.getByRole("region", { name: L.requester })).toHaveCount(0);

      // 13: on hold with a reason the customer reads, then resumed.
      await agent.getByRole("button", { name: L.hold, exact: true }).click();
      const form = agent.getByRole("form", { name: L.holdForm });
      await form.getByLabel(L.reasonKind).selectOption("vendor_fix");
      await form.getByLabel(L.reason, { exact: true }).fill("Waiting for printer firmware 2.1.");
      await form.getByRole("button", { name: L.hold }).click();
      await expect(agent.locator(".ticket-meta")).toContainText(L.onHold, { timeout: 5000 });
      await expect(customer.getByTestId("hold-reason")).toContainText("Waiting for printer firmware 2.1.", { timeout: 5000 });
      await expect(customer.getByTestId("hold-reason")).toContainText(L.vendorFix);
      await expect(customer.locator(".ticket-meta")).toContainText(L.onHold);
      await expect(agent.locator(".clocks .countdown[data-clock='Resolution']")).toBeVisible();
      await keep(customer, `regulation-flow-on-hold-${L.code}`);
      await agent.getByRole("button", { name: L.resume, exact: true }).click();
      await agent.getByRole("form", { name: L.resume }).getByRole("button", { name: L.resume }).click();
      await expect(agent.locator(".ticket-meta")).toContainText(L.open, { timeout: 5000 });
      await expect(customer.getByTestId("hold-reason")).toHaveCount(0, { timeout: 5000 });

      // 11: the escalation comment stays with staff; a linked known error shows its number.
      await agent.getByRole("button", { name: L.escalate, exact: true }).click();
      const escalate = agent.getByRole("form", { name: L.escalate });
      await escalate.getByLabel(L.comment).fill("Firmware trace attached for L2.");
      await escalate.getByRole("button", { name: L.escalate }).click();
      await expect(agent.locator(".ticket-meta")).toContainText(L.escalated, { timeout: 5000 });
      await expect(agent.locator(".message.internal")).toContainText("Firmware trace attached for L2.");
      await expect(customer.locator(".ticket-meta")).toContainText(L.escalated, { timeout: 5000 });
      await expect(customer.getByText("Firmware trace attached for L2.")).toHaveCount(0);
      const engineer = await StaffApi.signIn(baseURL!, "engineer@demo.example");
      const known = await (await engineer.api.get("/api/known-errors?q=KE-0001")).json();
      const linked = await engineer.act(reference, "link_known_error", { known_error_id: known.known_errors[0].id });
      expect(linked.status(), await linked.text()).toBe(200);
      await engineer.dispose();
      for (const page of [agent, customer]) {
        const list = page.getByRole("region", { name: L.knownErrors });
        await expect(list).toContainText("KE-0001", { timeout: 5000 });
      }
      await keep(customer, `regulation-flow-known-error-${L.code}`);

      // The queue row names the requester and the channel.
      await agent.goto(`/queue?q=${reference}`);
      const row = agent.locator(`tr[data-reference="${reference}"]`);
      await expect(row).toContainText("customer@demo.example");
      await expect(row.locator(".badge.channel")).toHaveText(L.phone);
    } finally {
      await backToEnglish(baseURL!, ["agent@demo.example", "customer@demo.example"]);
      for (const page of [agent, customer]) await page.context().close();
    }
  });
}

test("customers cannot register a ticket for someone else", async ({ baseURL }) => {
  const token = await tokenFor(baseURL!, "customer@demo.example");
  const staff = await StaffApi.signIn(baseURL!, "agent@demo.example");
  const users = await (await staff.api.get("/api/customers?q=customer2")).json();
  const boris = users.customers[0].id;
  const api = await StaffApi.signIn(baseURL!, "customer@demo.example");
  const refused = await api.api.post("/api/tickets", {
    data: { subject: "For Boris", description: "x", category: "D", product_version: "1", requester_id: boris, channel: "phone" },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).field).toBe("requester_id");
  await api.dispose();
  await staff.dispose();
});
