import { expect, type Browser, type Locator, type Page } from "@playwright/test";
import { signedIn } from "./sign-in";

export type AdminSection = "Organisations" | "Contracts" | "Accounts" | "Audit log" | "Calendars" | "SLA plans";

/** The supervisor's and admin's screens, driven by their accessible names. */
export class AdminScreens {
  constructor(readonly page: Page) {
    // Deactivating and resetting ask for confirmation in a native dialog: the admin agrees.
    page.on("dialog", (dialog) => dialog.accept());
  }

  /** A new context signed in as the demo admin, on the first admin page. */
  static async signIn(browser: Browser): Promise<AdminScreens> {
    const screens = new AdminScreens(await signedIn(browser, "admin@demo.example", "Queue"));
    await screens.open();
    return screens;
  }

  /** Opens "Admin" from the main navigation (it lands on Organisations). */
  async open() {
    await this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: "Organisations" })).toBeVisible();
  }

  async section(name: AdminSection) {
    await this.page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name, exact: true }).click();
    await expect(this.page.getByRole("heading", { level: 1, name })).toBeVisible();
  }

  /** The form card headed `name` ("New organisation", "New contract", "New account"). */
  form(name: string): Locator {
    return this.page.getByRole("region", { name });
  }

  /** The row of the table captioned `table` that mentions `text`. */
  row(table: string, text: string): Locator {
    return this.page.getByRole("table", { name: table }).getByRole("row").filter({ hasText: text });
  }

  /** The entries of `action` on the audit log's first page that mention `text`. */
  async auditEntries(action: string, text: string): Promise<Locator> {
    await this.section("Audit log");
    return this.row("Audit log", action).filter({ hasText: text });
  }

  /** The one-time password the accounts page shows after `heading` ("Account created:"). */
  async oneTimePassword(heading: string): Promise<string> {
    const card = this.page.getByRole("status").filter({ hasText: heading });
    await expect(card).toBeVisible();
    const password = (await card.locator("code").textContent())?.trim() ?? "";
    expect(password.length).toBeGreaterThanOrEqual(8);
    return password;
  }
}
