import { expect, test } from "@playwright/test";
import { keep, SignInPage } from "../pages/sign-in";

test("an admin registers a webhook and a mailbox, and the connection test names what failed", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn("admin@demo.example");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

  await page.goto("/admin/webhooks");
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await page.getByLabel("Endpoint address").fill("http://127.0.0.1:9/hook");
  await page.getByLabel("Signing secret (16 characters or more)").fill("short");
  await page.getByRole("button", { name: "Add an endpoint" }).click();
  await expect(page.getByText("between 16 and 200 characters")).toBeVisible();
  await page.getByLabel("Signing secret (16 characters or more)").fill("a-long-enough-signing-secret");
  await page.getByRole("checkbox", { name: "Rated" }).uncheck();
  await page.getByRole("button", { name: "Add an endpoint" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Endpoint added" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "http://127.0.0.1:9/hook" });
  await expect(row).toContainText("Ticket created");
  await expect(row).not.toContainText("Rated");
  await row.getByRole("link", { name: /^Delivery log/ }).click();
  await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();
  await expect(page.getByText("Nothing to deliver yet.")).toBeVisible();
  await keep(page, "admin-webhooks");
  await row.getByRole("button", { name: /^Delete/ }).click();
  await expect(page.getByText("No endpoints yet.")).toBeVisible();

  await page.goto("/admin/mailboxes");
  await expect(page.getByRole("heading", { name: "Mailboxes", level: 1 })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Nobody listens");
  await page.getByLabel("IMAP server").fill("127.0.0.1");
  await page.getByLabel("Port").fill("1");
  await page.getByLabel("Connection security").selectOption("none");
  await page.getByLabel("User name").fill("support");
  await page.getByLabel("Password").fill("secret");
  await page.getByRole("button", { name: "Add a mailbox" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Mailbox added" })).toBeVisible();
  const mailbox = page.getByRole("row").filter({ hasText: "Nobody listens" });
  await mailbox.getByRole("button", { name: /^Test connection/ }).click();
  await expect(mailbox.getByRole("status")).toContainText("Cannot connect: cannot connect to 127.0.0.1:1");
  await keep(page, "admin-mailboxes");
  // Leave the demo data as the other journeys expect it.
  await mailbox.getByRole("button", { name: /^Delete/ }).click();
  await expect(page.getByText("No mailboxes yet.")).toBeVisible();
});
