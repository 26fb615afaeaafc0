import { expect, test } from "@playwright/test";
import { fileTicketAs, Portal, StaffApi } from "../pages/portal";
import { keep } from "../pages/sign-in";

const widths = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
];

for (const size of widths) {
  test.describe(`the customer portal at ${size.width} px`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test("a customer files a ticket with a PNG and sees its countdown tick; a BMP is refused", async ({ page }) => {
      const portal = new Portal(page);
      await portal.signIn();
      await keep(page, `${size.name}-my-tickets`);
      await portal.openNewTicket();
      await portal.fill(`Export stops at row 65536 (${size.name})`, { special: true });
      // The shared policy refuses a BMP in the browser, with the advice to zip it.
      await portal.attach("fixtures/screen.bmp");
      await expect(page.getByRole("alert").filter({ hasText: /zip/ })).toBeVisible();
      await page.getByRole("button", { name: "Remove screen.bmp" }).click();
      await portal.attach("fixtures/screen.png");
      await expect(page.locator(".files li", { hasText: "screen.png" })).toBeVisible();
      await expect(page.locator(".files li.refused")).toHaveCount(0);
      // The preview comes from shared: a special request on the standard plan.
      await expect(page.getByTestId("sla-preview")).toContainText("First response by");
      await keep(page, `${size.name}-new-ticket`);
      const reference = await portal.submit();
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Export stops");
      // The PNG went up after the ticket was created and is listed on its page.
      await expect(page.getByRole("link", { name: "screen.png" })).toBeVisible({ timeout: 5000 });
      const countdown = portal.countdown();
      await expect(countdown).toBeVisible();
      const first = await countdown.textContent();
      if (!/paused|пауза/.test(first ?? "")) {
        await expect.poll(async () => countdown.textContent(), { timeout: 4000 }).not.toBe(first);
      }
      await keep(page, `${size.name}-ticket-${reference}`);
    });

    test("an agent's reply appears live, and a reclassification is accepted with its new deadline", async ({ page, baseURL }) => {
      const portal = new Portal(page);
      await portal.signIn();
      const reference = await fileTicketAs(baseURL!, `Reports are slow (${size.name})`);
      await page.goto(`/tickets/${reference}`);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Reports are slow");
      await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
      const agent = await StaffApi.signIn(baseURL!);
      const body = `Please send the report log, ${size.name} ${Date.now()}`;
      await agent.reply(reference, body);
      await expect(page.getByText(body)).toBeVisible({ timeout: 5000 });
      await keep(page, `${size.name}-live-reply`);

      const proposal = await agent.propose(reference, { category: "C", severity: 2 }, "It is a product defect");
      expect(proposal.status(), await proposal.text()).toBeLessThan(300);
      const box = page.getByRole("region", { name: "Support proposes to reclassify this ticket" });
      await expect(box).toBeVisible({ timeout: 5000 });
      await expect(box).toContainText("It is a product defect");
      await expect(box).toContainText("New deadline");
      await box.getByRole("button", { name: "Accept" }).click();
      await expect(box).toBeHidden();
      await expect(page.locator(".ticket-meta")).toContainText("C2");
      await keep(page, `${size.name}-reclassified`);
      await agent.dispose();
    });

    test("a resolved ticket is rated 4 with a comment; another is reopened", async ({ page, baseURL }) => {
      const portal = new Portal(page);
      await portal.signIn();
      const agent = await StaffApi.signIn(baseURL!);
      const rated = await fileTicketAs(baseURL!, `Cannot print invoices (${size.name})`);
      const reopened = await fileTicketAs(baseURL!, `Login page is blank (${size.name})`);
      await agent.resolve(rated);
      await agent.resolve(reopened);

      await page.goto(`/tickets/${reopened}`);
      await expect(page.locator(".ticket-meta")).toContainText("Resolved");
      await page.getByRole("button", { name: "Reopen" }).click();
      await page.getByLabel("Comment").fill("The page is still blank after the update.");
      await page.getByRole("form", { name: "Reopen" }).getByRole("button", { name: "Reopen" }).click();
      await expect(page.locator(".ticket-meta")).toContainText("Reopened", { timeout: 5000 });
      await keep(page, `${size.name}-reopened`);

      await page.goto(`/tickets/${rated}`);
      await expect(page.locator(".ticket-meta")).toContainText("Resolved");
      await page.getByRole("button", { name: "Rate" }).click();
      await page.getByLabel("4 stars").check();
      await page.getByLabel("Comment").fill("Quick and clear, thank you.");
      await page.getByRole("form", { name: "Rate" }).getByRole("button", { name: "Rate" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Thank you for your rating" })).toBeVisible({ timeout: 5000 });
      await keep(page, `${size.name}-rated`);
      await agent.dispose();
    });
  });
}
