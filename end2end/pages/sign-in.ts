import { expect, type Page } from "@playwright/test";

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
