import { expect, test } from "@playwright/test";
import { keep, SignInPage } from "../pages/sign-in";

test("an admin chooses an organisation's watchers among its accounts and the staff", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn("admin@demo.example");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.goto("/admin/organisations");
  await page.getByRole("link", { name: /^Watchers\s*:\s*Northwind Logistics$/ }).click();
  await expect(page).toHaveURL(/\/admin\/organisations\?watchers=\d+$/);
  await expect(page.getByRole("heading", { name: "Watchers of Northwind Logistics" })).toBeVisible();

  const engineer = page.getByRole("checkbox", { name: /Gleb Engineer/ });
  const anna = page.getByRole("checkbox", { name: /Anna Customer/ });
  await expect(engineer).not.toBeChecked();
  await expect(anna).not.toBeChecked();
  // Another organisation's customer is not offered.
  await expect(page.getByRole("checkbox", { name: /Boris Client/ })).toHaveCount(0);
  await engineer.check();
  await anna.check();
  await page.getByRole("button", { name: "Save watchers" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await keep(page, "admin-watchers");

  // The choice is the server's: it is there after a reload.
  await page.reload();
  await expect(page.getByRole("checkbox", { name: /Gleb Engineer/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /Anna Customer/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /Vera Agent/ })).not.toBeChecked();

  // Leave the demo data as the other journeys expect it.
  const id = new URL(page.url()).searchParams.get("watchers");
  const cleared = await page.request.put(`/api/admin/organisations/${id}/watchers`, {
    data: { user_ids: [] },
    // A write with the session cookie must come from the product's own origin.
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(cleared.ok()).toBeTruthy();
  expect((await cleared.json()).watchers).toEqual([]);
});
