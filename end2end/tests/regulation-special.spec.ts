import { expect, request, test, type Page } from "@playwright/test";
import { StaffApi, tokenFor } from "../pages/portal";
import { keep, SignInPage } from "../pages/sign-in";

/** The words the checks read, per language. */
const words = {
  en: {
    newTicket: "New ticket",
    special: "Special request",
    onePerRequest: "One problem per special request.",
    notAllowed: "Your contract does not include special requests.",
    awaiting: "Special request: awaiting confirmation by support",
    category: "Category",
    severity: "Severity",
    subject: "Subject",
    version: "Product version",
    description: "Description",
    submit: "Submit",
  },
  ru: {
    newTicket: "Новое обращение",
    special: "Спецобращение",
    onePerRequest: "В одном спецобращении — только одна проблема.",
    notAllowed: "Ваш договор не предусматривает спецобращений.",
    awaiting: "Спецобращение: ожидает подтверждения поддержкой",
    category: "Категория",
    severity: "Критичность",
    subject: "Тема",
    version: "Версия продукта",
    description: "Описание",
    submit: "Отправить",
  },
};

type Language = keyof typeof words;

/**
 * An organisation with a Standard contract that takes special requests as `setting` says, and
 * one customer speaking `language`; returns the customer's address and password.
 */
async function customerUnder(baseURL: string, setting: string, language: Language) {
  const token = await tokenFor(baseURL, "admin@demo.example");
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const name = `Specials ${setting} ${language} ${Date.now()}`;
  const organisation = await api.post("/api/admin/organisations", { data: { name } });
  expect(organisation.status(), await organisation.text()).toBe(201);
  const { id } = await organisation.json();
  const today = new Date();
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const contract = await api.post("/api/admin/contracts", {
    data: { organisation_id: id, plan: "standard", valid_from: day(-1), valid_to: day(30), account_limit: 2, special_requests: setting },
  });
  expect(contract.status(), await contract.text()).toBe(201);
  const email = `specials-${setting}-${language}-${Date.now()}@customer.example`;
  const user = await api.post("/api/admin/users", {
    data: { email, name: "Sofia Special", role: "customer", organisation_id: id, locale: language },
  });
  expect(user.status(), await user.text()).toBe(201);
  const { password: given } = await user.json();
  await api.dispose();
  // The customer chooses their own password first, as an admin-given one requires.
  const own = await request.newContext({ baseURL });
  const login = await own.post("/api/auth/login", { data: { email, password: given } });
  expect(login.status(), await login.text()).toBe(200);
  const { token: session } = await login.json();
  const password = "a password of my own";
  const changed = await own.post("/api/me/password", {
    headers: { Authorization: `Bearer ${session}` },
    data: { current_password: given, new_password: password },
  });
  expect(changed.status(), await changed.text()).toBe(204);
  await own.dispose();
  return { email, password };
}

async function signIn(page: Page, email: string, password: string, language: Language) {
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn(email, password);
  // Signed in once the app has left the sign-in page (in English `lang` is "en" before too).
  await expect(page).not.toHaveURL(/\/sign-in/);
  await expect(page.locator("html")).toHaveAttribute("lang", language);
}

async function openNewTicket(page: Page, language: Language) {
  await page.goto("/tickets/new");
  await expect(page.getByRole("heading", { name: words[language].newTicket })).toBeVisible();
}

for (const language of ["en", "ru"] as const) {
  const w = words[language];
  test.describe(`special requests (${language})`, () => {
    test("the form says one problem per special request and previews the earlier deadline", async ({ page, baseURL }) => {
      const { email, password } = await customerUnder(baseURL!, "allowed", language);
      await signIn(page, email, password, language);
      await openNewTicket(page, language);
      await page.getByLabel(w.category).selectOption("C");
      await page.getByLabel(w.severity).selectOption("1");
      const preview = page.getByTestId("sla-preview");
      await expect(preview).toContainText("same or next working day");
      const normal = await preview.textContent();
      await page.getByLabel(w.special).check();
      // Standard gives special requests 4 hours round the clock: never later than normal.
      await expect(preview).toContainText("4 working h");
      expect(await preview.textContent()).not.toBe(normal);
      await expect(page.locator("#special-one-problem")).toHaveText(w.onePerRequest);
      await keep(page, `special-${language}-allowed`);
    });

    test("a contract without special requests disables the flag and says why", async ({ page, baseURL }) => {
      const { email, password } = await customerUnder(baseURL!, "not_allowed", language);
      await signIn(page, email, password, language);
      await openNewTicket(page, language);
      await expect(page.getByLabel(w.special)).toBeDisabled();
      await expect(page.locator("#special-contract")).toHaveText(w.notAllowed);
      await expect(page.locator("#special-one-problem")).toHaveText(w.onePerRequest);
      await keep(page, `special-${language}-not-allowed`);
    });

    test("under confirm the request waits, seen by the customer, until support confirms it", async ({ page, baseURL }) => {
      const { email, password } = await customerUnder(baseURL!, "confirm", language);
      await signIn(page, email, password, language);
      await openNewTicket(page, language);
      await page.getByLabel(w.subject).fill(`Dispatch is down (${language})`);
      await page.getByLabel(w.category).selectOption("C");
      await page.getByLabel(w.severity).selectOption("1");
      await page.getByLabel(w.special).check();
      await page.getByLabel(w.version).fill("5.2.1");
      await page.getByLabel(w.description).fill("No orders reach the drivers.");
      await page.getByRole("button", { name: w.submit }).click();
      await expect(page).toHaveURL(/\/tickets\/RG-\d+$/);
      const reference = page.url().split("/").pop()!;
      await expect(page.locator(".ticket-meta")).toContainText(w.awaiting);
      await keep(page, `special-${language}-awaiting`);
      const agent = await StaffApi.signIn(baseURL!);
      const confirmed = await agent.act(reference, "set_special", { special: true, comment: "Confirmed by support." });
      expect(confirmed.status(), await confirmed.text()).toBe(200);
      await agent.dispose();
      await page.reload();
      await expect(page.locator(".ticket-meta .badge.special")).toHaveText(w.special);
      await expect(page.locator(".ticket-meta")).not.toContainText(w.awaiting);
      await keep(page, `special-${language}-confirmed`);
    });
  });
}
