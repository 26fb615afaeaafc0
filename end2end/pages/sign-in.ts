import { expect, type Browser, type Page } from "@playwright/test";

/** The sign-in page, driven by its accessible names. */
export class SignInPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.goto("/sign-in");
    await expect(this.page.getByRole("button", { name: "Sign in" })).toBeVisible();
  }

  async signIn(email: string, password = "demo") {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }
}

/** Keeps a full-page screenshot of the current state under test-results/screenshots/. */
export async function keep(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/**
 * A new browser context of its own, signed in as `email` through the sign-in page and on the
 * first page of the role, whose heading is `landing`; `baseURL` names another server.
 */
export async function signedIn(browser: Browser, email: string, landing: string, baseURL?: string): Promise<Page> {
  const context = await browser.newContext(baseURL ? { baseURL } : {});
  const page = await context.newPage();
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn(email);
  await expect(page.getByRole("heading", { name: landing })).toBeVisible();
  return page;
}
