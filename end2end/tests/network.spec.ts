// The mesh in a real browser, JavaScript on and off: three hosts join the mesh, get
// their tunnels, the topology shows the mesh complete, and a deleted tunnel shows there
// as a missing link.
import { expect, test, type Page } from "@playwright/test";
import { ready, signIn } from "./helpers";

async function addHost(page: Page, name: string, mesh: string) {
  await page.goto("/hosts/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Provider").fill("Scaleway");
  await page.getByLabel("Plan").fill("Start1-XS");
  await page.getByLabel("Mesh address").fill(mesh);
  await page.getByLabel("SSH address").fill("2001:db8::99");
  await page.getByRole("button", { name: "Add host" }).click();
  await expect(page).toHaveURL(`/hosts/${name}`);
}

test("three hosts form a mesh, and a deleted tunnel shows as missing on the topology", async ({ page }, info) => {
  test.setTimeout(120_000);
  const p = info.project.name;
  const n = p === "js" ? 1 : 2;
  const [a, b, c] = ["a", "b", "c"].map((x) => `mesh${x}-${p}`);
  await signIn(page, info);
  for (const [i, host] of [a, b, c].entries()) {
    await addHost(page, host, `fd00:e2e::${n}${i + 1}`);
    await page.goto(`/network/${host}`);
    await ready(page, info);
    await expect(page.getByText("not in the mesh", { exact: true })).toBeVisible();
    await page.getByLabel("Endpoint").fill(`192.0.2.${n * 10 + i}`);
    // No public key given: Owlery generates the pair and keeps the private key.
    await page.getByRole("button", { name: `Add ${host} to the mesh` }).click();
    await expect(page.locator(".page-header .badge", { hasText: "mesh node" })).toBeVisible();
    await expect(page.getByText(`wg-${host}`, { exact: true })).toBeVisible();
  }

  const tunnels: [string, string, number][] = [
    [a, b, 0],
    [a, c, 2],
    [b, c, 4],
  ];
  for (const [x, y, k] of tunnels) {
    await page.goto(`/network/${x}`);
    await ready(page, info);
    await page.getByRole("link", { name: `Add tunnel to ${y}` }).click();
    await expect(page).toHaveURL(`/network/${x}/tunnels/new?peer=${y}`);
    await ready(page, info);
    // Addresses are proposed; each project takes its own to stay clear of the other.
    await expect(page.getByLabel("Addresses on this host")).not.toHaveValue("");
    await page.getByLabel("Addresses on this host").fill(`fd00:e2e:${n}::${k.toString(16)}/127`);
    await page.getByLabel("Addresses on the peer").fill(`fd00:e2e:${n}::${(k + 1).toString(16)}/127`);
    await page.getByRole("button", { name: "Add tunnel" }).click();
    await expect(page).toHaveURL(`/network/${x}`);
    await expect(page.getByRole("cell", { name: `wg-${y}`.slice(0, 15), exact: true })).toBeVisible();
  }
  // The generated files are there, the private key never.
  await expect(page.locator(".code-title", { hasText: `/etc/wireguard/wg-${c}`.slice(0, 30) })).toBeVisible();
  await expect(page.getByText("PostUp = wg set %i private-key /etc/wireguard/private.key").first()).toBeVisible();

  await page.goto("/topology");
  await ready(page, info);
  const drawing = page.locator("svg.topology");
  for (const [x, y] of tunnels) {
    await expect(drawing.locator(`.link.ok[data-hosts="${x} ${y}"]`)).toHaveCount(1);
    await expect(drawing.locator(`.link.missing[data-hosts="${x} ${y}"]`)).toHaveCount(0);
  }
  await expect(page.getByText(`No tunnel between ${b} and ${c}`)).toHaveCount(0);

  await page.goto(`/network/${b}`);
  await ready(page, info);
  await page.getByRole("link", { name: `Delete tunnel to ${c}` }).click();
  await expect(page).toHaveURL(`/network/${b}/tunnels/delete?peer=${c}`);
  await ready(page, info);
  await page.getByRole("button", { name: `Delete tunnel ${b} – ${c}` }).click();
  await expect(page).toHaveURL(`/network/${b}`);
  await expect(page.getByRole("link", { name: `Add tunnel to ${c}` })).toBeVisible();

  await page.goto("/topology");
  await ready(page, info);
  await expect(drawing.locator(`.link.missing[data-hosts="${b} ${c}"]`)).toHaveCount(1);
  await expect(drawing.locator(`.link.ok[data-hosts="${b} ${c}"]`)).toHaveCount(0);
  await expect(drawing.getByText(`missing ${b}–${c}`)).toBeVisible();
  await expect(page.getByText(`No tunnel between ${b} and ${c}: the mesh is incomplete.`)).toBeVisible();
  await expect(drawing.locator(`.link.ok[data-hosts="${a} ${b}"]`)).toHaveCount(1);
});

test("a bad endpoint is refused next to its field and the form keeps what was typed", async ({ page }, info) => {
  const host = `meshbad-${info.project.name}`;
  await signIn(page, info);
  await addHost(page, host, info.project.name === "js" ? "fd00:e2e::31" : "fd00:e2e::32");
  await page.goto(`/network/${host}`);
  await ready(page, info);
  await page.getByLabel("Endpoint").fill("not-an-address");
  await page.getByLabel("First listen port").fill("51900");
  await page.getByRole("button", { name: `Add ${host} to the mesh` }).click();
  await expect(page.getByLabel("Endpoint")).toHaveAccessibleDescription(/not an IPv4 or IPv6 address/);
  await expect(page.getByLabel("First listen port")).toHaveValue("51900");
  await expect(page.getByText("not in the mesh", { exact: true })).toBeVisible();
});
