import { expect, request, test } from "@playwright/test";
import { AdminScreens } from "../pages/admin";
import { keep, signedIn } from "../pages/sign-in";

/** Whether `email` / `password` opens a session, asked as a separate client would. */
async function signInStatus(baseURL: string, email: string, password: string): Promise<number> {
  const api = await request.newContext({ baseURL });
  const response = await api.post("/api/auth/login", { data: { email, password } });
  await api.dispose();
  return response.status();
}

/** `YYYY-MM-DD` of the day `days` from today in Moscow, the demo accounts' zone. */
function moscowDate(days = 0): string {
  const at = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Moscow" }).format(at);
}

test("the admin creates an organisation, its contract and accounts up to the limit; deactivates one, resets a password and reads it all in the audit log", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const organisation = `Kama Machine Works ${stamp}`;
  const first = { name: `Olga First ${stamp}`, email: `olga.${stamp}@kama.example` };
  const second = { name: `Pavel Second ${stamp}`, email: `pavel.${stamp}@kama.example` };

  const admin = await AdminScreens.signIn(browser);
  const page = admin.page;

  // An organisation that blocks its accounts when the contract expires; it has no contract yet.
  const newOrganisation = admin.form("New organisation");
  await newOrganisation.getByLabel("Name").fill(organisation);
  await newOrganisation.getByLabel("When the contract expires").selectOption({ label: "Block the organisation's accounts" });
  await newOrganisation.getByRole("button", { name: "Create organisation" }).click();
  await expect(newOrganisation.getByRole("status")).toHaveText("Created");
  const organisationRow = admin.row("Organisations", organisation);
  await expect(organisationRow).toContainText("no contract");
  await expect(organisationRow).toContainText("Block the organisation's accounts");

  // Its contract: the standard plan from yesterday for ninety days, one account. (It starts
  // yesterday because the server reads "today" as the UTC date while the form shows Moscow's.)
  await organisationRow.getByRole("link", { name: /^Contracts/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contracts" })).toBeVisible();
  const newContract = admin.form("New contract");
  await expect(newContract.getByLabel("Organisation")).toHaveValue(/\d+/);
  await expect(newContract.getByLabel("Organisation").locator("option:checked")).toHaveText(organisation);
  await newContract.getByLabel("Plan").selectOption("standard");
  await newContract.getByLabel("Valid from").fill(moscowDate(-1));
  await newContract.getByLabel("Valid until").fill(moscowDate(90));
  await newContract.getByLabel("Account limit").fill("1");
  await newContract.getByRole("button", { name: "Create contract" }).click();
  await expect(newContract.getByRole("status")).toHaveText("Created");
  const contractRow = admin.row("Contracts", organisation);
  await expect(contractRow).toContainText("standard");
  await expect(contractRow).toContainText("in force");
  await expect(contractRow).toContainText(`${moscowDate(-1)} — ${moscowDate(90)}`);
  await expect(contractRow.getByRole("cell").nth(3)).toHaveText("1");
  await keep(page, "admin-contracts");

  // Accounts: the first fits the limit, the second is refused next to the organisation field.
  await admin.section("Organisations");
  await expect(admin.row("Organisations", organisation)).toContainText("0 / 1");
  await admin.row("Organisations", organisation).getByRole("link", { name: /^Accounts/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Accounts" })).toBeVisible();
  const newAccount = admin.form("New account");
  const createAccount = async (person: { name: string; email: string }) => {
    await newAccount.getByLabel("Name").fill(person.name);
    await newAccount.getByLabel("Email").fill(person.email);
    await newAccount.getByLabel("Role").selectOption({ label: "Customer" });
    await newAccount.getByLabel("Language").selectOption("en");
    await newAccount.getByRole("button", { name: "Create account" }).click();
  };
  await createAccount(first);
  const firstPassword = await admin.oneTimePassword(`Account created: ${first.email}`);
  await expect(admin.row("Accounts", first.email)).toContainText("active");

  await createAccount(second);
  const organisationField = newAccount.getByLabel("Organisation");
  await expect(organisationField).toHaveAttribute("aria-invalid", "true");
  await expect(organisationField).toHaveAccessibleDescription(/the contract allows 1 accounts and all are in use/);
  await expect(admin.row("Accounts", second.email)).toHaveCount(0);
  await keep(page, "admin-account-limit");

  // Deactivating the first frees the place; the second then fits.
  await admin.row("Accounts", first.email).getByRole("button", { name: /^Deactivate/ }).click();
  await expect(admin.row("Accounts", first.email)).toContainText("deactivated");
  await expect(admin.row("Accounts", first.email).getByRole("button", { name: /Deactivate/ })).toHaveCount(0);
  expect(await signInStatus(baseURL!, first.email, firstPassword)).toBe(401);
  await newAccount.getByRole("button", { name: "Create account" }).click();
  const secondPassword = await admin.oneTimePassword(`Account created: ${second.email}`);
  await expect(organisationField).toHaveAttribute("aria-invalid", "false");
  await expect(admin.row("Accounts", second.email)).toContainText("active");

  // A password reset makes a new one-time password; the old one stops working.
  await admin.row("Accounts", second.email).getByRole("button", { name: /^Reset password/ }).click();
  const resetPassword = await admin.oneTimePassword(`Password reset: ${second.email}`);
  expect(resetPassword).not.toBe(secondPassword);
  expect(await signInStatus(baseURL!, second.email, secondPassword)).toBe(401);
  expect(await signInStatus(baseURL!, second.email, resetPassword)).toBe(200);
  await keep(page, "admin-accounts");

  // The audit log holds each change, newest first, and its filters narrow it to one account.
  await expect(await admin.auditEntries("organisation.create", organisation)).toHaveCount(1);
  const audit = page.getByRole("table", { name: "Audit log" });
  await expect(audit.getByRole("row").filter({ hasText: "contract.create" }).first()).toBeVisible();
  const users = await (await page.request.get("/api/admin/users")).json();
  const secondId = (users.users ?? users).find((user: { email: string }) => user.email === second.email).id;
  await page.getByLabel("Entity", { exact: true }).selectOption("user");
  await page.getByLabel("Entity id").fill(String(secondId));
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`entity=user.*entity_id=${secondId}`));
  const actions = audit.locator("tbody tr td:nth-child(3)");
  await expect(actions).toHaveText(["user.reset_password", "user.create"]);
  await expect(audit.getByRole("row").filter({ hasText: "user.create" })).toContainText(second.email);
  await expect(audit.getByRole("row").filter({ hasText: "user.create" })).toContainText("Egor Admin");
  await keep(page, "admin-audit");
  await page.getByLabel("Entity id").fill("");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(audit.getByRole("row").filter({ hasText: "user.deactivate" }).first()).toBeVisible();
  await page.context().close();

  // A supervisor reads the same pages but changes nothing.
  const lead = await signedIn(browser, "lead@demo.example", "Queue");
  await lead.goto("/admin/accounts");
  await expect(lead.getByRole("heading", { level: 1, name: "Accounts" })).toBeVisible();
  await expect(lead.getByText("You can read these settings; only an admin can change them.")).toBeVisible();
  await expect(lead.getByRole("table", { name: "Accounts" }).getByRole("row").filter({ hasText: second.email })).toBeVisible();
  await expect(lead.getByRole("button", { name: "Create account" })).toHaveCount(0);
  await expect(lead.getByRole("button", { name: /^Deactivate/ })).toHaveCount(0);
  await lead.context().close();
});

test("the calendar editor's deadline preview follows the weekly hours as they are typed, and the calendar saves", async ({ browser }) => {
  const admin = await AdminScreens.signIn(browser);
  const page = admin.page;
  await admin.section("Calendars");
  await page.getByRole("button", { name: "template: moscow_10_19" }).click();

  // A C2 request on the standard plan registered on Monday 2 March 2026 at 10:00 Moscow, before
  // the 12:00 cut-off: its first response is due by the end of that working day.
  const preview = page.getByTestId("calendar-preview");
  await page.getByLabel("Plan").selectOption({ label: "Standard" });
  await page.getByLabel("Category").selectOption("C");
  await page.getByLabel("Severity").selectOption("2");
  await page.getByLabel("At a chosen time").check();
  await page.getByLabel("Registered (Europe/Moscow)").fill("2026-03-02T10:00");
  await expect(preview).toContainText("Mon 02 Mar 2026 10:00");
  await expect(preview).toContainText("First response by");
  await expect(preview).toContainText("Mon 02 Mar 2026 19:00");
  await keep(page, "calendar-preview-10-19");

  // Monday closes at 17:00: the deadline moves with the typing, no save needed.
  const monday = page.getByRole("group", { name: "Monday", exact: true });
  await monday.getByLabel("To", { exact: true }).fill("17:00");
  await expect(preview).toContainText("Mon 02 Mar 2026 17:00");
  await expect(preview).not.toContainText("Mon 02 Mar 2026 19:00");
  const days = page.getByRole("table", { name: /The next 14 days/ });
  await expect(days.getByRole("row").filter({ hasText: "Monday 02 Mar" })).toContainText("10:00–17:00");

  // Monday off: the clock starts on Tuesday morning instead.
  await monday.getByRole("button", { name: "Remove interval Monday" }).click();
  await expect(monday).toContainText("day off");
  await expect(preview).toContainText("outside working time");
  await expect(preview).toContainText("The clock starts");
  await expect(preview).toContainText("Tue 03 Mar 2026 10:00");
  await expect(days.getByRole("row").filter({ hasText: "Monday 02 Mar" })).toContainText("day off");
  await keep(page, "calendar-preview-monday-off");

  const stamp = Date.now();
  const name = `Four-day week ${stamp}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Save calendar" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await expect(page.getByRole("button", { name: `Edit ${name}` })).toHaveAttribute("aria-pressed", "true");
  await expect(await admin.auditEntries("calendar.create", String(stamp))).toHaveCount(1);
  await page.context().close();
});

test("the plan editor's rules table: a rule's target changes the deadline table, and the plan saves", async ({ browser }) => {
  const admin = await AdminScreens.signIn(browser);
  const page = admin.page;
  await admin.section("SLA plans");
  await page.getByRole("button", { name: "template: assistance" }).click();

  // The assistance levels: special requests 3 h, D 20 min, A and B 40 min, C 2 h, E recorded.
  const rules = page.getByRole("group", { name: "Rules" });
  await expect(rules.getByRole("group", { name: /^Rule \d+$/ })).toHaveCount(6);
  const ruleD = rules.getByRole("group", { name: "Rule 2", exact: true });
  await expect(ruleD.getByLabel("Category")).toHaveValue("D");
  await expect(ruleD.getByLabel("working minutes")).toHaveValue("20");

  const table = page.getByRole("table", { name: /^Registered:/ });
  const row = (label: string) => table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: label, exact: true }) });
  await expect(row("D")).toContainText("20 working minutes");
  await expect(row("E")).toContainText("no committed deadline");
  await expect(row("C1 ★")).toContainText("3 working hours");
  await keep(page, "plan-rules");

  await ruleD.getByLabel("working minutes").fill("45");
  await expect(row("D")).toContainText("45 working minutes");
  await expect(row("A")).toContainText("40 working minutes");

  const stamp = Date.now();
  const name = `Slower D ${stamp}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Save plan" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await expect(page.getByRole("button", { name: `Edit ${name}` })).toBeVisible();
  await keep(page, "plan-saved");
  await expect(await admin.auditEntries("plan.create", String(stamp))).toHaveCount(1);
  await page.context().close();
});

test("a supervisor publishes an outage announcement and the customer's portal shows it as a banner", async ({ browser }) => {
  const title = `Planned outage ${Date.now()}`;
  const body = "The portal is read-only on Saturday from 02:00 to 04:00 Moscow time.";
  const customer = await signedIn(browser, "customer@demo.example", "My tickets");
  const banner = customer.getByRole("complementary", { name: "Announcements" });
  await expect(customer.getByText(title)).toHaveCount(0);

  const lead = await signedIn(browser, "lead@demo.example", "Queue");
  lead.on("dialog", (dialog) => dialog.accept());
  await lead.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Announcements" }).click();
  await expect(lead.getByRole("heading", { level: 1, name: "Announcements" })).toBeVisible();
  await lead.getByRole("button", { name: "New announcement" }).click();
  const form = lead.getByRole("region", { name: "New announcement" });
  await form.getByLabel("Kind").selectOption({ label: "Outage" });
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Text").fill(body);
  await expect(form.getByLabel("Valid from")).toHaveValue(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
  await form.getByRole("button", { name: "Publish" }).click();
  await expect(lead.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  const row = lead.getByRole("table", { name: "Announcements" }).getByRole("row").filter({ hasText: title });
  await expect(row).toContainText("Outage");
  await expect(row).toContainText("current");
  await keep(lead, "announcements");

  // The banner reads the current announcements when the portal page opens.
  await customer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Known errors" }).click();
  await customer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My tickets" }).click();
  await expect(customer.getByRole("heading", { name: "My tickets" })).toBeVisible();
  await expect(banner).toContainText(title);
  await expect(banner).toContainText(body);
  await keep(customer, "customer-announcement-banner");

  // Deleting it takes it off the banner again.
  await row.getByRole("button", { name: /^Delete/ }).click();
  await expect(lead.getByRole("status").filter({ hasText: "Deleted" })).toBeVisible();
  await customer.reload();
  await expect(customer.getByRole("heading", { name: "My tickets" })).toBeVisible();
  await expect(customer.getByText(title)).toHaveCount(0);
  for (const page of [customer, lead]) await page.context().close();
});
