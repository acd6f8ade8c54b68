// Import / export: a file is previewed as a diff, applied only when confirmed, and a bad
// file is refused at its line and field with nothing written. Imports here keep what
// the file does not list, so other tests running meanwhile are not disturbed.
import { expect, test, type Page } from "@playwright/test";
import { ready, signIn } from "./helpers";

const hostFile = (name: string, ipv4 = "") =>
  [
    "format = 1",
    "",
    "[[hosts]]",
    `name = "${name}"`,
    'provider = "Scaleway"',
    'plan = "Start1-XS"',
    'arch = "x86_64"',
    "vcpus = 1",
    "ram_mib = 1024",
    "disk_gb = 25",
    ...(ipv4 ? [`ipv4 = "${ipv4}"`] : []),
    'ipv6 = "2001:db8::77"',
    'ssh_host = "2001:db8::77"',
    'notes = "came from a file"',
    "",
  ].join("\n");

async function previewImport(page: Page, text: string) {
  await page.getByLabel("Inventory file (TOML)").fill(text);
  await page.getByRole("button", { name: "Preview import" }).click();
}

test("a file is previewed as a diff, applied when confirmed, and exported again", async ({ page }, info) => {
  const name = `inv-${info.project.name}`;
  await signIn(page, info);
  await page.goto("/inventory");
  await ready(page, info);
  await previewImport(page, hostFile(name));

  await expect(page).toHaveURL(/\/inventory\/imports\/\d+$/);
  await expect(page.getByText("1 added, 0 changed, 0 removed")).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("added");
  await expect(row).toContainText("came from a file");
  await page.getByRole("button", { name: "Apply 1 change(s)" }).click();

  await expect(page).toHaveURL("/inventory?applied=1");
  await expect(page.getByRole("status")).toContainText("Import applied: 1 change(s)");
  await page.goto(`/hosts/${name}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("came from a file")).toBeVisible();

  const exported = await page.request.get("/inventory/export.toml");
  expect(exported.headers()["content-disposition"]).toContain("owlery-inventory.toml");
  expect(await exported.text()).toContain(`[[hosts]]\nname = "${name}"`);
});

test("a bad file shows its line and field and changes nothing", async ({ page }, info) => {
  const name = `inv-bad-${info.project.name}`;
  await signIn(page, info);
  await page.goto("/inventory");
  await ready(page, info);
  await previewImport(page, hostFile(name));
  await page.getByRole("button", { name: "Apply 1 change(s)" }).click();
  await expect(page).toHaveURL("/inventory?applied=1");

  const bad = hostFile(name, "192.0.2.999").replace('plan = "Start1-XS"', 'plan = "ARM64-2GB"');
  const line = bad.split("\n").findIndex((l) => l.includes("192.0.2.999")) + 1;
  await page.goto("/inventory");
  await ready(page, info);
  await previewImport(page, bad);

  const field = page.getByLabel("Inventory file (TOML)");
  await expect(field).toHaveAccessibleDescription(new RegExp(`line ${line}, hosts\\[0\\]\\.ipv4`));
  await expect(field).toHaveValue(bad);
  await page.goto(`/hosts/${name}`);
  await expect(page.getByText("Start1-XS")).toBeVisible();
  await expect(page.getByText("ARM64-2GB")).toHaveCount(0);
  await expect(page.getByText("192.0.2.999")).toHaveCount(0);
});
