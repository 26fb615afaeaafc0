import { expect, request, test, type Browser, type Page } from "@playwright/test";
import { ratingLinkIn, waitForMail } from "../pages/mail";
import { fileTicketAs, StaffApi, tokenFor } from "../pages/portal";
import { OwnServer } from "../pages/server";
import { keep } from "../pages/sign-in";

// The pages a customer reaches without signing in: the rating link of the resolution mail and
// the announcements of the sign-in page. A server of this spec's own, so that its mail folder
// can be read and its announcements reach nobody else's pages.
let server: OwnServer;

test.beforeAll(async () => {
  server = await OwnServer.start(["--job-interval-seconds", "1"]);
});

test.afterAll(async () => {
  await server?.stop();
});

/** A browser of its own with nobody signed in, on `path`, in `language`. */
async function anonymous(browser: Browser, path: string, language: "en" | "ru"): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseURL });
  const page = await context.newPage();
  await page.goto(path);
  if (language === "ru") {
    await page.getByLabel("Language").selectOption("ru");
    await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  }
  return page;
}

/** Calls the API as `email` with a bearer token. */
async function apiAs(email: string) {
  const token = await tokenFor(server.baseURL, email);
  return request.newContext({ baseURL: server.baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

/** Files a ticket as `email`, resolves it as the agent and returns the link from the mail. */
async function resolvedWithLink(email: string, subject: string): Promise<{ reference: string; link: string }> {
  const reference = await fileTicketAs(server.baseURL, subject, email);
  const agent = await StaffApi.signIn(server.baseURL);
  await agent.resolve(reference);
  await agent.dispose();
  const mail = await waitForMail(server.dataDir, email, [reference, "/rate/"]);
  return { reference, link: ratingLinkIn(mail) };
}

/** The kinds of the ticket's events, as the agent sees them. */
async function eventKinds(reference: string): Promise<string[]> {
  const api = await apiAs("agent@demo.example");
  const detail = await api.get(`/api/tickets/${reference}`);
  expect(detail.ok()).toBeTruthy();
  const kinds = (await detail.json()).events.map((event: { kind: string }) => event.kind);
  await api.dispose();
  return kinds;
}

test("the mailed link rates a resolved ticket once, without signing in", async ({ browser }) => {
  const subject = `Printing stops after page 3 ${Date.now()}`;
  const { reference, link } = await resolvedWithLink("customer@demo.example", subject);
  const page = await anonymous(browser, link, "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(subject);
  await expect(page.getByText(reference)).toBeVisible();
  const rate = page.getByRole("form", { name: "Rate" });
  await expect(page.getByRole("form", { name: "Reopen" })).toBeVisible();
  await keep(page, "rating-link-en");
  await rate.getByLabel("4 stars").check();
  await rate.getByLabel("Comment").fill("Quick and clear.");
  await rate.getByRole("button", { name: "Rate" }).click();
  await expect(page.getByRole("status")).toHaveText("Thank you for your rating");
  expect((await eventKinds(reference)).filter((kind) => kind === "rate")).toHaveLength(1);
  // A second use: the page says the link has done its work, and offers no form.
  await page.reload();
  await expect(page.getByRole("status")).toHaveText("This link was already used. Sign in to see the ticket.");
  await expect(page.getByRole("form")).toHaveCount(0);
  await keep(page, "rating-link-used-en");
  await page.context().close();
});

test("по ссылке из письма обращение переоткрывается один раз, без входа", async ({ browser }) => {
  const email = "customer2@demo.example";
  const profile = await apiAs(email);
  const changed = await profile.patch("/api/me", { data: { locale: "ru" } });
  expect(changed.ok(), await changed.text()).toBeTruthy();
  await profile.dispose();
  const subject = `Отчёт не строится ${Date.now()}`;
  const { reference, link } = await resolvedWithLink(email, subject);
  const page = await anonymous(browser, link, "ru");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(subject);
  await expect(page.getByText(reference)).toBeVisible();
  const reopen = page.getByRole("form", { name: "Переоткрыть" });
  await expect(page.getByRole("form", { name: "Оценить" })).toBeVisible();
  // Reopening needs words.
  await reopen.getByRole("button", { name: "Переоткрыть" }).click();
  await expect(reopen.locator(".field-error")).not.toBeEmpty();
  await reopen.getByLabel("Комментарий").fill("После обновления отчёт снова пустой.");
  await reopen.getByRole("button", { name: "Переоткрыть" }).click();
  await expect(page.getByRole("status")).toHaveText("Обращение переоткрыто, поддержка ответит вам.");
  await keep(page, "rating-link-ru");
  expect(await eventKinds(reference)).toContain("reopen");
  await page.reload();
  await expect(page.getByRole("status")).toHaveText("Эта ссылка уже использована. Войдите, чтобы открыть обращение.");
  await expect(page.getByRole("form")).toHaveCount(0);
  await page.context().close();
});

for (const language of ["en", "ru"] as const) {
  test(`an unknown or expired link says so (${language})`, async ({ browser }) => {
    const page = await anonymous(browser, "/rate/not-a-link", language);
    await expect(page.getByRole("status")).toHaveText(
      language === "en"
        ? "This link is unknown or has expired. Sign in to see your tickets."
        : "Ссылка неизвестна или устарела. Войдите, чтобы увидеть свои обращения.",
    );
    await expect(page.getByRole("form")).toHaveCount(0);
    await page.context().close();
  });
}

test("the sign-in page shows the current announcements marked for it, in both languages", async ({ browser }) => {
  const lead = await apiAs("lead@demo.example");
  const stamp = Date.now();
  const shown = { kind: "outage", title: `Portal maintenance ${stamp}`, body: "Sign-in may fail 22:00–23:00.", public: true };
  const internal = { kind: "info", title: `Staff meeting ${stamp}`, body: "For signed-in readers only." };
  for (const announcement of [shown, internal]) {
    const created = await lead.post("/api/announcements", { data: announcement });
    expect(created.status(), await created.text()).toBe(201);
  }
  await lead.dispose();
  const page = await anonymous(browser, "/sign-in", "en");
  const region = page.getByRole("region", { name: "Announcements" });
  await expect(region.getByRole("heading", { name: shown.title })).toBeVisible();
  await expect(region).toContainText(shown.body);
  await expect(region).not.toContainText(internal.title);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await keep(page, "sign-in-announcements-en");
  await page.getByLabel("Language").selectOption("ru");
  const russian = page.getByRole("region", { name: "Объявления" });
  await expect(russian.getByRole("heading", { name: shown.title })).toBeVisible();
  await expect(russian.locator("time").first()).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
  await expect(page.getByRole("button", { name: "Войти" })).toBeVisible();
  await keep(page, "sign-in-announcements-ru");
  await page.context().close();
});
