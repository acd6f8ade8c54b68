// The services area in a real browser: JavaScript on and off, same expectations.
import { expect, type Page, test } from "@playwright/test";
import { ready, signIn } from "./helpers";

async function addHost(page: Page, name: string, address: string) {
  await page.goto("/hosts/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Provider").fill("Scaleway");
  await page.getByLabel("Plan").fill("Start1-XS");
  await page.getByLabel("SSH address").fill(address);
  await page.getByRole("button", { name: "Add host" }).click();
  await expect(page).toHaveURL(`/hosts/${name}`);
}

test("an admin adds a service, corrects a bad port and moves it to another host", async ({ page }, info) => {
  const from = `svc-from-${info.project.name}`;
  const to = `svc-to-${info.project.name}`;
  const name = `cache-${info.project.name}`;
  await signIn(page, info);
  await addHost(page, from, "192.0.2.51");
  await addHost(page, to, "192.0.2.52");

  // From the first host's page, whose card offers to add a service there.
  await page.goto(`/hosts/${from}`);
  await ready(page, info);
  await page.getByRole("link", { name: "Add a service" }).click();
  await expect(page).toHaveURL(`/services/new?host=${from}`);
  await expect(page.getByLabel("Host")).toHaveValue(from);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Kind").selectOption("redis");
  await page.getByLabel("Listen address").fill("fd00:6f77::51");
  await page.getByLabel("Port").fill("70000");
  await page.getByLabel("Notes").fill("sessions and queues");
  await page.getByRole("button", { name: "Add service" }).click();

  // The error sits on the field that caused it; everything typed is still there.
  await expect(page.getByLabel("Port")).toHaveAccessibleDescription(/port must be between 1 and 65535/);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
  await expect(page.getByLabel("Kind")).toHaveValue("redis");
  await expect(page.getByLabel("Listen address")).toHaveValue("fd00:6f77::51");
  await expect(page.getByLabel("Notes")).toHaveValue("sessions and queues");

  await page.getByLabel("Port").fill("6379");
  await page.getByRole("button", { name: "Add service" }).click();
  await expect(page).toHaveURL(`/services/${name}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("redis-server.service")).toBeVisible();
  await expect(page.getByText("[fd00:6f77::51]:6379")).toBeVisible();

  // Moving is an edit: choose the other host.
  await page.getByRole("link", { name: "Edit or move" }).click();
  await expect(page).toHaveURL(`/services/${name}/edit`);
  await ready(page, info);
  await page.getByLabel("Host").selectOption(to);
  await page.getByRole("button", { name: `Save ${name}` }).click();
  await expect(page).toHaveURL(`/services/${name}`);
  await expect(page.getByText(`host: ${from} → ${to}`)).toBeVisible();
  await expect(page.getByRole("link", { name: to, exact: true })).toBeVisible();

  // The services page lists it under its new host, and only there.
  await page.goto("/services");
  await ready(page, info);
  const group = (host: string) => page.getByRole("region", { name: new RegExp(`^${host} `) });
  await expect(group(to).getByRole("link", { name, exact: true })).toBeVisible();
  await expect(group(from)).toHaveCount(0);

  // So do the two host pages.
  await page.goto(`/hosts/${to}`);
  await expect(page.getByRole("region", { name: "Services" }).getByRole("link", { name, exact: true })).toBeVisible();
  await page.goto(`/hosts/${from}`);
  await expect(page.getByRole("region", { name: "Services" })).toContainText("No services on this host.");
});

test("a host that still runs a service cannot be deleted, and the message names it", async ({ page }, info) => {
  const host = `svc-keep-${info.project.name}`;
  const name = `keeper-${info.project.name}`;
  await signIn(page, info);
  await addHost(page, host, "192.0.2.53");
  await page.goto(`/services/new?host=${host}&kind=nginx`);
  await ready(page, info);
  await expect(page.getByLabel("systemd unit")).toHaveValue("nginx.service");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Add service" }).click();
  await expect(page).toHaveURL(`/services/${name}`);

  await page.goto(`/hosts/${host}/delete`);
  await ready(page, info);
  await page.getByRole("button", { name: `Delete ${host}` }).click();
  await expect(page.getByRole("alert")).toContainText(`${host} still runs ${name}`);
  await page.goto(`/hosts/${host}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(host);
});
