import { expect, request, test, type Page } from "@playwright/test";
import { waitForMail } from "../pages/mail";
import { fileTicketAs, StaffApi, tokenFor } from "../pages/portal";
import { OwnServer } from "../pages/server";
import { keep, signedIn } from "../pages/sign-in";

// Issue 24 in both languages: products with supported versions (7), the password reminder
// edited in Admin and read in the resolution mail (5, 8), the plan's clocks that pause on hold
// (3) and held tickets counted as paused (4). A server of this spec's own: its plan edits and
// mail folder are nobody else's.
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
  product: string;
  submit: string;
  unsupported: string;
  reminders: string;
  reminderFor: string;
  english: string;
  russian: string;
  saveReminder: string;
  saved: string;
  plans: string;
  pausesLegend: string;
  firstResponse: string;
  saveChanges: string;
  paused: string;
  atRisk: string;
  breached: string;
};

const LANGUAGES: Labels[] = [
  {
    code: "en",
    subject: "Subject",
    productVersion: "Product version",
    description: "Description",
    product: "Product",
    submit: "Submit",
    unsupported: "Unsupported version",
    reminders: "Password reminders",
    reminderFor: "Reminder of",
    english: "Text in English",
    russian: "Text in Russian",
    saveReminder: "Save the reminder",
    saved: "Saved",
    plans: "SLA plans",
    pausesLegend: "Clocks that pause while a ticket is on hold",
    firstResponse: "First response",
    saveChanges: "Save changes",
    paused: "paused",
    atRisk: "at risk",
    breached: "breached",
  },
  {
    code: "ru",
    subject: "Тема",
    productVersion: "Версия продукта",
    description: "Описание",
    product: "Продукт",
    submit: "Отправить",
    unsupported: "Неподдерживаемая версия",
    reminders: "Напоминания о паролях",
    reminderFor: "Напоминание для",
    english: "Текст на английском",
    russian: "Текст на русском",
    saveReminder: "Сохранить напоминание",
    saved: "Сохранено",
    plans: "SLA-планы",
    pausesLegend: "Какие сроки останавливаются, пока обращение отложено",
    firstResponse: "Первый ответ",
    saveChanges: "Сохранить изменения",
    paused: "на паузе",
    atRisk: "под угрозой",
    breached: "нарушен",
  },
];

async function apiAs(email: string) {
  const token = await tokenFor(server.baseURL, email);
  return request.newContext({ baseURL: server.baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

async function chooseLanguage(page: Page, code: "en" | "ru") {
  await page.goto("/profile");
  await page.locator("#profile-language").selectOption(code);
  await page.getByRole("button", { name: code === "ru" ? "Сохранить" : "Save" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", code);
}

/** The queue's counter whose label is `label`, as a number. */
async function counter(page: Page, label: string): Promise<number> {
  const texts = await page.getByRole("list", { name: "counters" }).getByRole("listitem").allTextContents();
  const text = texts.find((item) => item.trim().toLowerCase().startsWith(`${label.toLowerCase()}:`));
  return Number(text?.split(":").pop());
}

for (const L of LANGUAGES) {
  test(`a ticket on an unsupported version is flagged (${L.code})`, async ({ browser }) => {
    const admin = await apiAs("admin@demo.example");
    const name = `Dispatcher ${L.code} ${Date.now()}`;
    const created = await admin.post("/api/admin/products", {
      data: { name, supported_versions: ["6.0", "6.1"], fields: [] },
    });
    expect(created.status(), await created.text()).toBe(201);
    await admin.dispose();
    const customer = await signedIn(browser, "customer@demo.example", "My tickets", server.baseURL);
    try {
      await chooseLanguage(customer, L.code);
      await customer.goto("/tickets/new");
      await customer.getByLabel(L.subject, { exact: true }).fill(`Old dispatcher ${L.code}`);
      await customer.getByLabel(L.product, { exact: true }).selectOption({ label: name });
      await expect(customer.getByText("6.0, 6.1")).toBeVisible();
      await customer.getByLabel(L.productVersion).fill("5.9");
      await customer.getByLabel(L.description, { exact: true }).fill("The map does not load.");
      await customer.getByRole("button", { name: L.submit }).click();
      await expect(customer).toHaveURL(/\/tickets\/RG-\d+$/);
      await expect(customer.locator(".ticket-meta .unsupported")).toHaveText(L.unsupported);
      await expect(customer.locator(".ticket-meta")).toContainText(name);
      await keep(customer, `regulation-unsupported-${L.code}`);
    } finally {
      await chooseLanguage(customer, "en");
      await customer.context().close();
    }
  });

  test(`the password reminder edited in Admin reaches the resolution mail (${L.code})`, async ({ browser }) => {
    test.setTimeout(90_000);
    const admin = await signedIn(browser, "admin@demo.example", "Queue", server.baseURL);
    const customer = await signedIn(browser, "customer@demo.example", "My tickets", server.baseURL);
    try {
      await chooseLanguage(admin, L.code);
      await chooseLanguage(customer, L.code);
      await admin.goto("/admin/organisations");
      await admin.getByRole("navigation", { name: L.code === "ru" ? "Администрирование" : "Administration" })
        .getByRole("link", { name: L.reminders }).click();
      await expect(admin.getByRole("heading", { level: 1, name: L.reminders })).toBeVisible();
      // Northwind's own text overrides its plan's.
      await admin.getByLabel(L.reminderFor).selectOption({ label: L.code === "ru" ? "Организация: Northwind Logistics" : "Organisation: Northwind Logistics" });
      const text = L.code === "ru" ? `Смените пароль VPN ${Date.now()}` : `Change the VPN password ${Date.now()}`;
      const field = L.code === "ru" ? L.russian : L.english;
      await admin.getByLabel(field).fill(text);
      await admin.getByRole("button", { name: L.saveReminder }).click();
      await expect(admin.getByRole("status").filter({ hasText: L.saved })).toBeVisible();
      await keep(admin, `regulation-reminder-${L.code}`);
      // The page reads it back.
      await admin.reload();
      await admin.getByLabel(L.reminderFor).selectOption({ label: L.code === "ru" ? "Организация: Northwind Logistics" : "Organisation: Northwind Logistics" });
      await expect(admin.getByLabel(field)).toHaveValue(text);

      const reference = await fileTicketAs(server.baseURL, `Reminder ${L.code} ${Date.now()}`);
      const agent = await StaffApi.signIn(server.baseURL);
      await agent.resolve(reference);
      await agent.dispose();
      const mail = await waitForMail(server.dataDir, "customer@demo.example", [reference, "/rate/"]);
      expect(mail.body).toContain(text);
    } finally {
      for (const page of [admin, customer]) {
        await chooseLanguage(page, "en");
        await page.context().close();
      }
    }
  });

  test(`the plan editor sets the clocks a hold pauses; held tickets count as paused (${L.code})`, async ({ browser }) => {
    test.setTimeout(90_000);
    const admin = await signedIn(browser, "admin@demo.example", "Queue", server.baseURL);
    const agent = await signedIn(browser, "agent@demo.example", "Queue", server.baseURL);
    const api = await apiAs("admin@demo.example");
    try {
      await chooseLanguage(admin, L.code);
      await chooseLanguage(agent, L.code);
      // 3: the plan editor offers the setting and saves it.
      const plans = await (await api.get("/api/admin/plans")).json();
      const assistance = plans.find((p: { key: string }) => p.key === "assistance");
      await admin.goto("/admin/plans");
      await expect(admin.getByRole("heading", { level: 1, name: L.plans })).toBeVisible();
      await admin.getByRole("button", { name: new RegExp(`${assistance.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }).click();
      const pauses = admin.getByRole("group", { name: L.pausesLegend });
      await expect(pauses).toBeVisible();
      const first = pauses.getByLabel(L.firstResponse);
      const wanted = !(await first.isChecked());
      await first.setChecked(wanted);
      await admin.getByRole("button", { name: L.saveChanges }).click();
      await expect(admin.getByRole("status").filter({ hasText: L.saved })).toBeVisible();
      await keep(admin, `regulation-plan-pauses-${L.code}`);
      const saved = await (await api.get(`/api/admin/plans/${assistance.id}`)).json();
      // The default (resolution only) is not written.
      expect((saved.spec.on_hold_pauses ?? ["resolution"]).includes("first_response")).toBe(wanted);

      // 4: a held ticket is paused in the counters, however late its clocks are.
      const word = `Wombat${L.code}${Date.now()}`;
      const references = [await fileTicketAs(server.baseURL, `${word} one`), await fileTicketAs(server.baseURL, `${word} two`)];
      const total = L.code === "ru" ? "Итого" : "Total";
      await agent.goto(`/queue?q=${word}`);
      await expect.poll(() => counter(agent, total)).toBe(2);
      const staff = await StaffApi.signIn(server.baseURL);
      const held = await staff.act(references[0], "hold", { reason: "Vendor fix", reason_kind: "vendor_fix" });
      expect(held.status(), await held.text()).toBe(200);
      await staff.dispose();
      await agent.reload();
      await expect.poll(() => counter(agent, total)).toBe(2);
      await expect.poll(() => counter(agent, L.paused)).toBe(1);
      expect(await counter(agent, L.atRisk)).toBe(0);
      expect(await counter(agent, L.breached)).toBe(0);
      const row = agent.locator(`tr[data-reference="${references[0]}"]`);
      await expect(row.locator(".countdown").first()).toHaveAttribute("data-state", "paused");
      await keep(agent, `regulation-held-paused-${L.code}`);
    } finally {
      for (const page of [admin, agent]) {
        await chooseLanguage(page, "en");
        await page.context().close();
      }
      await api.dispose();
    }
  });
}
