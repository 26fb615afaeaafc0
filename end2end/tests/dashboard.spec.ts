import { expect, test } from "@playwright/test";
import { fileTicketAs } from "../pages/portal";
import { keep, SignInPage } from "../pages/sign-in";

test("a customer's new ticket appears on the agent's open queue within 2 s, highlighted, and j/t take it", async ({ page, baseURL }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn("agent@demo.example");
  await expect(page.getByRole("heading", { name: "Queue" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await expect(page.locator("table.queue-list tbody tr").first()).toBeVisible();
  await keep(page, "queue");

  const subject = `Queue arrival ${Date.now()}`;
  const started = Date.now();
  const reference = await fileTicketAs(baseURL!, subject);
  const row = page.locator(`tr[data-reference="${reference}"]`);
  await expect(row).toBeVisible({ timeout: 2000 });
  console.log(`submit-to-row: ${Date.now() - started} ms`);
  await expect(row).toHaveClass(/fresh/);
  // Each row has one ticking countdown with its state in words.
  await expect(row.locator(".countdown").first()).toHaveAttribute("data-state", /running|at_risk|breached|paused|none|met/);

  // The filters live in the URL.
  await page.getByRole("link", { name: "Unassigned" }).click();
  await expect(page).toHaveURL(/view=unassigned/);
  await expect(page.locator(`tr[data-reference="${reference}"]`)).toBeVisible();

  // Keyboard: j selects the first row, t takes it.
  await page.locator("h1").click();
  await page.keyboard.press("j");
  await expect(page.locator("tr.selected")).toHaveCount(1);
  await expect(page).toHaveURL(/selected=RG-/);
  await keep(page, "queue-selected");
});

test("the agent opens a ticket and sees the staff actions the shared rules allow", async ({ page, baseURL }) => {
  const reference = await fileTicketAs(baseURL!, `Staff view ${Date.now()}`);
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn("agent@demo.example");
  await expect(page.getByRole("heading", { name: "Queue" })).toBeVisible();
  await page.goto(`/tickets/${reference}`);
  for (const name of ["Take", "Request info", "Resolve"]) {
    await expect(page.getByRole("button", { name, exact: true })).toBeVisible();
  }
  await page.getByRole("button", { name: "Take", exact: true }).click();
  await expect(page.locator(".timeline")).toContainText("take", { timeout: 5000 });
  await page.getByLabel("Reply").fill("We are looking at it.");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator(".thread")).toContainText("We are looking at it.");
  await page.getByRole("button", { name: "Request info", exact: true }).click();
  await page.getByLabel("Comment").fill("Which browser do you use?");
  await page.getByRole("form", { name: "Request info" }).getByRole("button", { name: "Request info" }).click();
  await expect(page.locator(".ticket-meta")).toContainText("Waiting for customer", { timeout: 5000 });
  await expect(page.locator(".clocks")).toContainText(/paused|met|waiting/);
  await keep(page, "agent-ticket");
});
