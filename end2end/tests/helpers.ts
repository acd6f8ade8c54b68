// Shared steps: signing in, and knowing when a page is live.
import { createHmac } from "node:crypto";
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

/** The code an authenticator app shows for a base32 TOTP secret (RFC 6238, SHA-1). */
export function totp(secret: string, time = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/[\s=]/g, "").toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 1000 / 30)));
  const h = createHmac("sha1", Buffer.from(bytes)).update(counter).digest();
  const o = h[19] & 15;
  const v = (((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1_000_000;
  return v.toString().padStart(6, "0");
}
