// Shared steps: signing in, and knowing when a page is live.
import { expect, type Page, type TestInfo } from "@playwright/test";

export const ADMIN = { username: "e2e-admin", password: process.env.E2E_PASSWORD ?? "e2e admin password" };

export const jsOn = (info: TestInfo) => info.project.name === "js";

/** With JavaScript on, waits until the app has hydrated the server-rendered page. */
export async function ready(page: Page, info: TestInfo) {
  if (jsOn(info)) {
    await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  }
}

export async function signIn(page: Page, info: TestInfo, who = ADMIN) {
  await page.goto("/login");
  await page.getByLabel("Username").fill(who.username);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL("/");
  await ready(page, info);
}

/** Marks the current document; `stillSamePage` is true only if no full reload happened. */
export async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { owleryMark: number }).owleryMark = 1));
}

export async function stillSameDocument(page: Page) {
  return page.evaluate(() => (window as unknown as { owleryMark?: number }).owleryMark === 1);
}
