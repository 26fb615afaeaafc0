import { expect, test } from "@playwright/test";
import { keep, SignInPage } from "../pages/sign-in";

test("the demo customer signs in, lands on My tickets and signs out", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  await keep(page, "sign-in");
  await signIn.signIn("customer@demo.example");
  await expect(page).toHaveURL(/\/tickets$/);
  await expect(page.getByRole("heading", { name: "My tickets" })).toBeVisible();
  await keep(page, "customer-first-page");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  // The session cookie is gone: the API refuses the next call.
  const me = await page.request.get("/api/me");
  expect(me.status()).toBe(401);
});

test("the demo agent signs in and lands on the Queue", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn("agent@demo.example");
  await expect(page).toHaveURL(/\/queue$/);
  await expect(page.getByRole("heading", { name: "Queue" })).toBeVisible();
  await keep(page, "agent-first-page");
});

test("a wrong password is refused with a message and no session", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn("agent@demo.example", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("Wrong email or password");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("the language switch turns the interface Russian and back", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  await page.getByLabel("Language").selectOption("ru");
  await expect(page.getByRole("button", { name: "Войти" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await page.getByLabel("Язык").selectOption("en");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("a deep link to a client route serves the app, which asks an anonymous visitor to sign in", async ({ page }) => {
  const response = await page.goto("/queue");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("the browser gets the app compressed and runs it", async ({ page }) => {
  const wasm = page.waitForResponse((response) => response.url().endsWith("/app_bg.wasm"));
  const script = page.waitForResponse((response) => response.url().endsWith("/app.js"));
  await page.goto("/sign-in");
  for (const response of [await wasm, await script]) {
    expect(response.status()).toBe(200);
    const headers = await response.allHeaders();
    expect(["br", "gzip"]).toContain(headers["content-encoding"]);
  }
  expect((await (await wasm).allHeaders())["content-type"]).toBe("application/wasm");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});
