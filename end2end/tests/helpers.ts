// Shared steps: signing in, and knowing when a page is live.
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Page, type TestInfo } from "@playwright/test";

export const ADMIN = { username: "e2e-admin", password: process.env.E2E_PASSWORD ?? "e2e admin password" };

export const jsOn = (info: TestInfo) => info.project.name === "js";

/** A new empty directory of this test's own (the testbed hosts share this machine's files). */
export const scratchDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

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

/** A testbed host's address and port (TESTBED_HOSTS is `name=addr:port,...`, set by make). */
export function testbedHost(name: string): { addr: string; port: string } {
  const entry = (process.env.TESTBED_HOSTS ?? "").split(",").find((e) => e.startsWith(`${name}=`));
  if (!entry) throw new Error(`TESTBED_HOSTS has no ${name}: run the tests through make`);
  const [addr, port] = entry.slice(name.length + 1).split(/:(?=\d+$)/);
  return { addr, port };
}

/**
 * A host Owlery can run jobs on: imports the testbed key as `identity`, adds `host` at the
 * testbed host `testbed`, chooses the identity for it and pins its host key. Ends on the
 * host's page. `ram` (MiB) is recorded when given.
 */
export async function addTestbedHost(
  page: Page,
  info: TestInfo,
  { identity, host, testbed, ram }: { identity: string; host: string; testbed: string; ram?: string },
) {
  const { addr, port } = testbedHost(testbed);
  await page.goto("/settings/ssh");
  await ready(page, info);
  await page.locator("#import-name").fill(identity);
  await page.locator("#import-private_key").fill(readFileSync(process.env.TESTBED_KEY ?? "", "utf8"));
  await page.getByRole("button", { name: "Import key" }).click();
  await expect(page.locator(`#identity-${identity}`)).toContainText("SHA256:");

  await page.goto("/hosts/new");
  await ready(page, info);
  await page.getByLabel("Name", { exact: true }).fill(host);
  await page.getByLabel("Provider").fill("Testbed");
  await page.getByLabel("Plan").fill("loopback");
  if (ram) await page.getByLabel("RAM (MiB)").fill(ram);
  await page.getByLabel("SSH address").fill(addr);
  await page.getByLabel("SSH port").fill(port);
  await page.getByRole("button", { name: "Add host" }).click();
  await expect(page).toHaveURL(`/hosts/${host}`);
  await ready(page, info);
  const card = page.getByRole("region", { name: "SSH" });
  await card.getByLabel("Identity").selectOption(identity);
  await card.getByRole("button", { name: /^Use this identity/ }).click();
  await card.getByRole("button", { name: "Fetch host key" }).click();
  await card.getByRole("button", { name: "Accept this key" }).click();
  await expect(card).toContainText("pinned by e2e-admin");
}
