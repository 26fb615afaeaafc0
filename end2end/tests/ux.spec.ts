import { expect, request, test, type Page } from "@playwright/test";
import { StaffApi, tokenFor } from "../pages/portal";
import { keep, SignInPage } from "../pages/sign-in";

// Issue #25, items 3, 4, 5 and 7: the customer's side of a ticket, errors that say why, a blocked
// customer told at once, and the small things — in English and Russian, on a 390 px screen.
test.use({ viewport: { width: 390, height: 844 } });

/** The words the checks read, per language. */
const words = {
  en: {
    app: "Reglament",
    myTickets: "My tickets",
    queue: "Queue",
    take: "Take",
    resolve: "Resolve",
    close: "Close",
    rate: "Rate",
    expedite: "Expedite",
    expediteWhy: "Why must this ticket go faster?",
    expediteConfirm: "Confirm: expedite",
    expediteNeedsReason: "Say why the ticket must go faster.",
    expediteSent: "The head of support has been asked to expedite",
    notFound: "There is no ticket with this number, or it is not yours to see.",
    noMatch: "No tickets match this view or search",
    blocked: "Your organisation cannot file tickets now",
    subject: "Subject",
    category: "Category",
    chooseSeverity: "Choose a severity to see the deadlines.",
    forCustomer: "The deadlines follow the chosen customer's contract once the ticket is registered.",
    proposal: "If you accept, the support commits to resolve the ticket",
    plans: "SLA plans",
    calendars: "Calendars",
    planCalendar: "Calendar of ordinary requests",
    name: "Name",
    noClock: "Changes no clock.",
  },
  ru: {
    app: "Регламент",
    myTickets: "Мои обращения",
    queue: "Очередь",
    take: "Взять",
    resolve: "Решить",
    close: "Закрыть",
    rate: "Оценить",
    expedite: "Ускорить",
    expediteWhy: "Почему это обращение нужно ускорить?",
    expediteConfirm: "Подтвердить ускорение",
    expediteNeedsReason: "Укажите, почему обращение нужно ускорить.",
    expediteSent: "Руководитель поддержки получил просьбу ускорить",
    notFound: "Обращения с таким номером нет, или оно вам недоступно.",
    noMatch: "Нет обращений, подходящих под этот вид или поиск",
    blocked: "Ваша организация сейчас не может подавать обращения",
    subject: "Тема",
    category: "Категория",
    chooseSeverity: "Выберите критичность, чтобы увидеть сроки.",
    forCustomer: "Сроки определит договор выбранного клиента при регистрации обращения.",
    proposal: "Если вы согласитесь, поддержка обязуется решить обращение",
    plans: "SLA-планы",
    calendars: "Календари",
    planCalendar: "Календарь обычных обращений",
    name: "Название",
    noClock: "Не меняет часов.",
  },
};

type Language = keyof typeof words;
type Person = { email: string; password: string };

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The admin's API. */
async function adminApi(baseURL: string) {
  const token = await tokenFor(baseURL, "admin@demo.example");
  return request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

/**
 * An organisation (`block` on expiry when `blocked`, else `unqualified`) with a contract on the
 * standard plan from yesterday to next month: its id and the contract's.
 */
async function organisation(baseURL: string, label: string, blocked = false) {
  const api = await adminApi(baseURL);
  const created = await api.post("/api/admin/organisations", {
    data: { name: `UX ${label} ${Date.now()}`, on_expiry: blocked ? "block" : "unqualified" },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  const contract = await api.post("/api/admin/contracts", {
    data: { organisation_id: id, plan: "standard", valid_from: day(-1), valid_to: day(30), account_limit: 3 },
  });
  expect(contract.status(), await contract.text()).toBe(201);
  const { id: contractId } = await contract.json();
  await api.dispose();
  return { id: id as number, contractId: contractId as number };
}

/** Ends the contract `contractId` yesterday. */
async function endContract(baseURL: string, contractId: number) {
  const api = await adminApi(baseURL);
  const ended = await api.patch(`/api/admin/contracts/${contractId}`, {
    data: { valid_from: day(-60), valid_to: day(-1) },
  });
  expect(ended.status(), await ended.text()).toBe(200);
  await api.dispose();
}

/** A new account speaking `language`, with a password of its own. */
async function person(baseURL: string, role: string, language: Language, organisationId?: number): Promise<Person> {
  const api = await adminApi(baseURL);
  const email = `ux-${role}-${language}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const user = await api.post("/api/admin/users", {
    data: { email, name: `UX ${role}`, role, organisation_id: organisationId ?? null, locale: language },
  });
  expect(user.status(), await user.text()).toBe(201);
  const { password: given } = await user.json();
  await api.dispose();
  const own = await request.newContext({ baseURL });
  const login = await own.post("/api/auth/login", { data: { email, password: given } });
  expect(login.status(), await login.text()).toBe(200);
  const { token } = await login.json();
  const password = "a password of my own";
  const changed = await own.post("/api/me/password", {
    headers: { Authorization: `Bearer ${token}` },
    data: { current_password: given, new_password: password },
  });
  expect(changed.status(), await changed.text()).toBe(204);
  await own.dispose();
  return { email, password };
}

/** The API as `who`. */
async function apiAs(baseURL: string, who: Person) {
  const api = await request.newContext({ baseURL });
  const login = await api.post("/api/auth/login", { data: who });
  expect(login.status(), await login.text()).toBe(200);
  const { token } = await login.json();
  await api.dispose();
  return request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

/** Files a ticket as `who` through the API: its reference. */
async function file(baseURL: string, who: Person, subject: string, category = "D", severity?: number) {
  const api = await apiAs(baseURL, who);
  const created = await api.post("/api/tickets", {
    data: { subject, description: "Filed by the test.", category, severity, product_version: "5.2.1", special: false },
  });
  expect(created.status(), await created.text()).toBe(201);
  const ticket = await created.json();
  await api.dispose();
  return (ticket.ticket ?? ticket).reference as string;
}

async function signIn(page: Page, who: Person, language: Language) {
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn(who.email, who.password);
  await expect(page).not.toHaveURL(/\/sign-in/);
  await expect(page.locator("html")).toHaveAttribute("lang", language);
}

async function openTicket(page: Page, reference: string) {
  await page.goto(`/tickets/${reference}`);
  await expect(page.locator(".ticket-meta")).toBeVisible();
}

for (const language of ["en", "ru"] as const) {
  const w = words[language];
  test.describe(`ux (${language}, 390 px)`, () => {
    test("a customer sees only their side: no support steps, no escalation clock, no clock talk on Rate; Close once resolved", async ({ browser, baseURL }) => {
      const { id: organisationId } = await organisation(baseURL!, `side ${language}`);
      const customer = await person(baseURL!, "customer", language, organisationId);
      const subject = `Blank invoices ${language} ${Date.now()}`;
      const reference = await file(baseURL!, customer, subject, "C", 2);
      const agent = await StaffApi.signIn(baseURL!);
      for (const [action, extra] of [["take", {}], ["escalate", { comment: "For the second line." }]] as const) {
        const done = await agent.act(reference, action, extra);
        expect(done.status(), await done.text()).toBe(200);
      }

      const staff = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await signIn(staff, await person(baseURL!, "agent_l1", language), language);
      await openTicket(staff, reference);
      await expect(staff.locator(".clocks .countdown[data-clock='Escalation']")).toBeVisible();
      await expect(staff.locator(".timeline")).toContainText("escalate");

      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await signIn(page, customer, language);
      await openTicket(page, reference);
      await expect(page.locator(".clocks .countdown[data-clock='Resolution']")).toBeVisible();
      await expect(page.locator(".clocks .countdown[data-clock='Escalation']")).toHaveCount(0);
      await expect(page.locator(".timeline")).not.toContainText("take");
      await expect(page.locator(".timeline")).not.toContainText("escalate");
      await expect(page).toHaveTitle(`${reference} · ${subject} — ${w.app}`);
      await keep(page, `ux-${language}-customer-side`);

      await agent.resolve(reference);
      await page.reload();
      await expect(page.locator(".ticket-meta")).toBeVisible();
      await expect(page.getByRole("button", { name: w.close, exact: true })).toBeVisible();
      await page.getByRole("button", { name: w.rate, exact: true }).click();
      const rating = page.getByRole("form", { name: w.rate });
      await expect(rating).toBeVisible();
      await expect(rating).not.toContainText(w.noClock);
      await expect(rating.locator(".clock-effect")).toHaveCount(0);
      await page.getByRole("button", { name: w.close, exact: true }).click();
      const close = page.getByRole("form", { name: w.close });
      await close.getByRole("button", { name: w.close }).click();
      await expect(page.locator(".ticket-meta .badge").first()).toHaveAttribute("class", /closed/);
      await agent.dispose();
      await staff.close();
      await page.close();
    });

    test("Take disappears once taken, and the tab names the page", async ({ page, baseURL }) => {
      const { id: organisationId } = await organisation(baseURL!, `take ${language}`);
      const customer = await person(baseURL!, "customer", language, organisationId);
      const reference = await file(baseURL!, customer, `Take me ${language} ${Date.now()}`);
      await signIn(page, await person(baseURL!, "agent_l1", language), language);
      await expect(page).toHaveTitle(`${w.queue} — ${w.app}`);
      await openTicket(page, reference);
      const take = page.getByRole("button", { name: w.take, exact: true });
      await take.click();
      await expect(page.locator(".timeline")).toContainText("take");
      await expect(take).toHaveCount(0);
      await expect(page).toHaveTitle(new RegExp(`^${reference} · `));
      await keep(page, `ux-${language}-taken`);
    });

    test("errors say why: Resolve on severity 4, an unknown ticket, an empty filtered queue", async ({ page, baseURL }) => {
      const { id: organisationId } = await organisation(baseURL!, `errors ${language}`);
      const customer = await person(baseURL!, "customer", language, organisationId);
      const reference = await file(baseURL!, customer, `Not a defect ${language} ${Date.now()}`, "C", 4);
      await signIn(page, await person(baseURL!, "agent_l1", language), language);
      await openTicket(page, reference);
      await page.getByRole("button", { name: w.resolve, exact: true }).click();
      const resolve = page.getByRole("form", { name: w.resolve });
      await resolve.getByRole("button", { name: w.resolve }).click();
      // The server's reason, in the panel of the refused action.
      const reason = resolve.getByRole("alert");
      await expect(reason).toContainText("4");
      expect((await reason.innerText()).trim().length).toBeGreaterThan(10);
      await keep(page, `ux-${language}-resolve-refused`);

      await page.goto("/tickets/RG-999999");
      await expect(page.getByRole("alert")).toHaveText(w.notFound);
      await expect(page).toHaveTitle(`RG-999999 — ${w.app}`);

      await page.goto(`/queue?q=${encodeURIComponent("no such ticket anywhere")}`);
      await expect(page.getByRole("status").filter({ hasText: w.noMatch })).toBeVisible();
      await keep(page, `ux-${language}-queue-no-match`);
    });

    test("Expedite asks for a reason and a confirmation", async ({ page, baseURL }) => {
      const { id: organisationId } = await organisation(baseURL!, `expedite ${language}`);
      const customer = await person(baseURL!, "customer", language, organisationId);
      const reference = await file(baseURL!, customer, `Hurry ${language} ${Date.now()}`);
      await signIn(page, customer, language);
      await openTicket(page, reference);
      await page.getByRole("button", { name: w.expedite, exact: true }).click();
      const form = page.getByRole("form", { name: w.expedite });
      await expect(form.getByLabel(w.expediteWhy)).toBeVisible();
      await form.getByRole("button", { name: w.expediteConfirm }).click();
      await expect(form).toContainText(w.expediteNeedsReason);
      await form.getByLabel(w.expediteWhy).fill("The month closes tomorrow.");
      await form.getByRole("button", { name: w.expediteConfirm }).click();
      await expect(page.getByRole("status").filter({ hasText: w.expediteSent })).toBeVisible();
      await keep(page, `ux-${language}-expedited`);
    });

    test("a blocked customer learns it before the form; the SLA preview says what it lacks", async ({ browser, baseURL }) => {
      const blockedOrganisation = await organisation(baseURL!, `blocked ${language}`, true);
      const blocked = await person(baseURL!, "customer", language, blockedOrganisation.id);
      await endContract(baseURL!, blockedOrganisation.contractId);
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await signIn(page, blocked, language);
      await page.goto("/tickets/new");
      await expect(page.getByTestId("service-blocked")).toContainText(w.blocked);
      await expect(page.getByLabel(w.subject)).toBeHidden();
      await keep(page, `ux-${language}-blocked`);

      const { id: organisationId } = await organisation(baseURL!, `preview ${language}`);
      const customer = await person(baseURL!, "customer", language, organisationId);
      const other = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await signIn(other, customer, language);
      await other.goto("/tickets/new");
      await other.getByLabel(w.category).selectOption("C");
      await expect(other.getByTestId("sla-preview")).toHaveText(w.chooseSeverity);

      const staff = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await signIn(staff, await person(baseURL!, "agent_l1", language), language);
      await staff.goto("/tickets/new");
      await expect(staff.getByTestId("sla-preview")).toHaveText(w.forCustomer);
      for (const opened of [page, other, staff]) await opened.close();
    });

    test("the reclassification proposal says what the new deadline means", async ({ page, baseURL }) => {
      const { id: organisationId } = await organisation(baseURL!, `proposal ${language}`);
      const customer = await person(baseURL!, "customer", language, organisationId);
      const reference = await file(baseURL!, customer, `Reclassify ${language} ${Date.now()}`, "C", 2);
      const agent = await StaffApi.signIn(baseURL!);
      // Category B on the standard plan: a committed resolution, counted once it is reproduced.
      const proposed = await agent.propose(reference, { category: "B" }, "A third-party component fails.");
      expect(proposed.status(), await proposed.text()).toBeLessThan(300);
      await agent.dispose();
      await signIn(page, customer, language);
      await openTicket(page, reference);
      await expect(page.getByTestId("proposal-explained")).toContainText(w.proposal);
      await keep(page, `ux-${language}-proposal`);
    });

    test("the plan editor lists each calendar once; new plans and calendars start empty", async ({ page, baseURL }) => {
      await signIn(page, await person(baseURL!, "admin", language), language);
      await page.goto("/admin/plans");
      await expect(page.getByRole("heading", { level: 1, name: w.plans })).toBeVisible();
      await expect(page.getByLabel(w.name, { exact: true })).toHaveValue("");
      await expect(page.getByRole("group", { name: /^(Rule|Правило) \d+$/ })).toHaveCount(0);
      // A calendar by name, not "custom calendar (from the saved plan)".
      await expect(page.getByLabel(w.planCalendar)).not.toHaveValue("");
      const options = await page.getByLabel(w.planCalendar).locator("option").allInnerTexts();
      expect(options.length).toBeGreaterThan(1);
      expect(new Set(options).size).toBe(options.length);
      await expect(page).toHaveTitle(`${w.plans} — ${w.app}`);
      await keep(page, `ux-${language}-plans`);

      await page.goto("/admin/calendars");
      await expect(page.getByRole("heading", { level: 1, name: w.calendars })).toBeVisible();
      await expect(page.getByLabel(w.name, { exact: true })).toHaveValue("");
    });
  });
}
