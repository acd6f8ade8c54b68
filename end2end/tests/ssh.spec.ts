// SSH administration in a real browser, JavaScript on and off: an identity is generated
// and shown by its public key, and a testbed host's key is fetched and pinned.
import { expect, test } from "@playwright/test";
import { jsOn, markDocument, ready, signIn, stillSameDocument, testbedHost } from "./helpers";

test("an admin generates an identity and sees its public key", async ({ page }, info) => {
  const name = `e2e-key-${info.project.name}`;
  await signIn(page, info);
  if (jsOn(info)) await markDocument(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "SSH identities" }).click();
  await expect(page).toHaveURL("/settings/ssh");
  await ready(page, info);
  await page.locator("#generate-name").fill(name);
  await page.locator("#generate-comment").fill(`${name}@e2e`);
  await page.getByRole("button", { name: "Generate key" }).click();
  const item = page.locator(`#identity-${name}`);
  await expect(item.locator("pre.key-line")).toContainText(/^ssh-ed25519 AAAA\S+ e2e-key-.*@e2e$/);
  await expect(item).toContainText("SHA256:");
  await expect(page.locator("body")).not.toContainText("PRIVATE KEY");

  // The same name again is refused on its field.
  await page.locator("#generate-name").fill(name);
  await page.getByRole("button", { name: "Generate key" }).click();
  await expect(page.locator("#generate-name")).toHaveAccessibleDescription(/already exists/);
  if (jsOn(info)) expect(await stillSameDocument(page)).toBe(true);
});

test("an admin fetches a testbed host's key and pins it", async ({ page }, info) => {
  const name = `ssh-${info.project.name}`;
  const { addr, port } = testbedHost(info.project.name === "js" ? "hermes" : "hedwig");
  await signIn(page, info);
  await page.goto("/hosts/new");
  await ready(page, info);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Provider").fill("Testbed");
  await page.getByLabel("Plan").fill("loopback");
  await page.getByLabel("SSH address").fill(addr);
  await page.getByLabel("SSH port").fill(port);
  await page.getByRole("button", { name: "Add host" }).click();
  await expect(page).toHaveURL(`/hosts/${name}`);
  await ready(page, info);

  const card = page.getByRole("region", { name: "SSH" });
  await expect(card).toContainText("not pinned");
  await card.getByRole("button", { name: "Fetch host key" }).click();
  await expect(card.getByRole("button", { name: "Accept this key" })).toBeVisible();
  await expect(card).toContainText(/Offered key: SHA256:\S+/);
  await card.getByRole("button", { name: "Accept this key" }).click();
  await expect(card).toContainText("pinned by e2e-admin");
  await expect(card.getByRole("button", { name: "Accept this key" })).toHaveCount(0);
});
