import { expect, type APIRequestContext, type Page, request } from "@playwright/test";
import { SignInPage } from "./sign-in";

/** The customer portal, driven by its accessible names. */
export class Portal {
  constructor(readonly page: Page) {}

  async signIn(email = "customer@demo.example") {
    const signIn = new SignInPage(this.page);
    await signIn.open();
    await signIn.signIn(email);
    await expect(this.page.getByRole("heading", { name: "My tickets" })).toBeVisible();
  }

  async openNewTicket() {
    await this.page.getByRole("link", { name: "New ticket" }).click();
    await expect(this.page.getByRole("heading", { name: "New ticket" })).toBeVisible();
  }

  async fill(subject: string, options: { special?: boolean } = {}) {
    await this.page.getByLabel("Subject").fill(subject);
    await this.page.getByLabel("Category").selectOption("D");
    if (options.special) await this.page.getByLabel("Special request").check();
    await this.page.getByLabel("Product version").fill("5.2.1");
    await this.page.getByLabel("Description").fill("The export to CSV stops at row 65,536.");
    await this.page.getByLabel("Steps to reproduce").fill("1. Open reports\n2. Export");
  }

  async attach(path: string) {
    await this.page.getByLabel("Attachments").setInputFiles(path);
  }

  /** Submits and returns the new ticket's reference from the URL. */
  async submit(): Promise<string> {
    await this.page.getByRole("button", { name: "Submit" }).click();
    await expect(this.page).toHaveURL(/\/tickets\/RG-\d+$/);
    return this.page.url().split("/").pop()!;
  }

  countdown() {
    return this.page.locator(".clocks .countdown").first();
  }
}

/**
 * The session token of a demo account on a server, signed in once per run: the server allows
 * one address 60 sign-in attempts in 15 minutes, and the suite's API helpers alone would pass it.
 */
const tokens = new Map<string, string>();

export async function tokenFor(baseURL: string, email: string): Promise<string> {
  const key = `${baseURL} ${email}`;
  const known = tokens.get(key);
  if (known) return known;
  const api = await request.newContext({ baseURL });
  const response = await api.post("/api/auth/login", { data: { email, password: "demo" } });
  expect(response.ok(), await response.text()).toBeTruthy();
  const { token } = await response.json();
  await api.dispose();
  tokens.set(key, token);
  return token;
}

/** A member of staff acting through the API, as another person would. */
export class StaffApi {
  private constructor(readonly api: APIRequestContext) {}

  static async signIn(baseURL: string, email = "agent@demo.example"): Promise<StaffApi> {
    const token = await tokenFor(baseURL, email);
    return new StaffApi(await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } }));
  }

  async ticket(reference: string) {
    const response = await this.api.get(`/api/tickets/${reference}`);
    expect(response.ok()).toBeTruthy();
    return (await response.json()).ticket;
  }

  async reply(reference: string, body: string) {
    const response = await this.api.post(`/api/tickets/${reference}/messages`, { data: { body, internal: false } });
    expect(response.status(), await response.text()).toBeLessThan(300);
  }

  async act(reference: string, action: string, extra: Record<string, unknown> = {}) {
    const ticket = await this.ticket(reference);
    const response = await this.api.post(`/api/tickets/${reference}/actions`, {
      data: { action, ...extra },
      headers: { "If-Match": String(ticket.version) },
    });
    return response;
  }

  /** Takes and resolves a ticket with a solution. */
  async resolve(reference: string) {
    const ticket = await this.ticket(reference);
    if (ticket.assignee_id == null) {
      const take = await this.act(reference, "take");
      expect(take.status(), await take.text()).toBeLessThan(300);
    }
    const resolve = await this.act(reference, "resolve", { comment: "Fixed in 5.2.2: update and export again." });
    expect(resolve.status(), await resolve.text()).toBeLessThan(300);
  }

  async propose(reference: string, classification: Record<string, unknown>, reason: string) {
    return this.api.post(`/api/tickets/${reference}/reclassifications`, { data: { ...classification, reason } });
  }

  async dispose() {
    await this.api.dispose();
  }
}

/** Files a ticket through the API as the customer, for flows that start from an existing one. */
export async function fileTicketAs(
  baseURL: string,
  subject: string,
  email = "customer@demo.example",
  category = "D",
): Promise<string> {
  const token = await tokenFor(baseURL, email);
  const api = await request.newContext({ baseURL });
  const created = await api.post("/api/tickets", {
    data: { subject, description: "Filed by the test.", category, product_version: "5.2.1", special: false },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(created.status(), await created.text()).toBe(201);
  const ticket = await created.json();
  await api.dispose();
  return (ticket.ticket ?? ticket).reference;
}
