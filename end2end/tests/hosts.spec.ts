// The hosts area in a real browser: JavaScript on and off, same expectations.
import { expect, test } from "@playwright/test";
import { jsOn, markDocument, ready, signIn, stillSameDocument } from "./helpers";

test("an anonymous visitor is sent to the sign-in page", async ({ page }) => {
  await page.goto("/hosts");
  await expect(page).toHaveURL(/\/login\?next=\/hosts$/);
  await expect(page.getByLabel("Username")).toBeVisible();
});

test("a wrong password is refused with a message and the username kept", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username").fill("e2e-admin");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Wrong username or password");
  await expect(page.getByLabel("Username")).toHaveValue("e2e-admin");
});

test("an admin creates, corrects, edits and deletes a host", async ({ page }, info) => {
  const name = `web-${info.project.name}`;
  await signIn(page, info);
  if (jsOn(info)) await markDocument(page);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Hosts" }).click();
  await page.getByRole("link", { name: "Add host" }).click();
  await expect(page).toHaveURL("/hosts/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Provider").fill("Scaleway");
  await page.getByLabel("Plan").fill("Start1-XS");
  await page.getByLabel("IPv6", { exact: true }).fill("2001:db8::30");
  await page.getByLabel("SSH address").fill("2001:db8::30");
  await page.getByLabel("SSH port").fill("70000");
  await page.getByRole("button", { name: "Add host" }).click();

  // The error sits on the field that caused it; everything typed is still there.
  await expect(page.getByLabel("SSH port")).toHaveAccessibleDescription(/port must be between 1 and 65535/);
  await expect(page.getByLabel("Plan")).toHaveValue("Start1-XS");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);

  await page.getByLabel("SSH port").fill("22");
  await page.getByRole("button", { name: "Add host" }).click();
  await expect(page).toHaveURL(`/hosts/${name}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("IPv6 only")).toBeVisible();

  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL(`/hosts/${name}/edit`);
  await page.getByLabel("Plan").fill("ARM64-2GB");
  await page.getByRole("button", { name: `Save ${name}` }).click();
  await expect(page).toHaveURL(`/hosts/${name}`);
  await expect(page.getByText("plan: Start1-XS → ARM64-2GB")).toBeVisible();

  await page.getByRole("link", { name: "Delete" }).click();
  await expect(page).toHaveURL(`/hosts/${name}/delete`);
  await expect(page.getByText(`This removes ${name}`)).toBeVisible();
  await page.getByRole("button", { name: `Delete ${name}` }).click();
  await expect(page).toHaveURL("/hosts");
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);

  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByText(`delete host ${name}`)).toBeVisible();
  if (jsOn(info)) expect(await stillSameDocument(page)).toBe(true);
});

test("a second editor's stale save is refused with a conflict message", async ({ browser }, info) => {
  const name = `shared-${info.project.name}`;
  const alice = await browser.newPage();
  const bob = await browser.newPage();
  for (const p of [alice, bob]) await signIn(p, info);
  await alice.goto("/hosts/new");
  await ready(alice, info);
  await alice.getByLabel("Name", { exact: true }).fill(name);
  await alice.getByLabel("Provider").fill("Scaleway");
  await alice.getByLabel("Plan").fill("Start1-XS");
  await alice.getByLabel("SSH address").fill("192.0.2.40");
  await alice.getByRole("button", { name: "Add host" }).click();
  await expect(alice).toHaveURL(`/hosts/${name}`);

  for (const p of [alice, bob]) {
    await p.goto(`/hosts/${name}/edit`);
    await ready(p, info);
  }
  await alice.getByLabel("Notes").fill("alice was here");
  await alice.getByRole("button", { name: `Save ${name}` }).click();
  await expect(alice).toHaveURL(`/hosts/${name}`);

  await bob.getByLabel("Notes").fill("bob overwrites");
  await bob.getByRole("button", { name: `Save ${name}` }).click();
  await expect(bob.getByRole("alert").filter({ hasText: "changed by someone else" })).toBeVisible();
  await expect(bob.getByLabel("Notes")).toHaveValue("bob overwrites");
  await bob.goto(`/hosts/${name}`);
  await expect(bob.getByText("alice was here", { exact: true })).toBeVisible();
});

test("the hosts list filters and sorts", async ({ page }, info) => {
  await signIn(page, info);
  await page.goto("/hosts?sort=name&desc=1");
  await ready(page, info);
  await expect(page.getByRole("columnheader", { name: /Name/ })).toHaveAttribute("aria-sort", "descending");
  await page.getByLabel("Filter").fill("no-such-host-anywhere");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No host matches")).toBeVisible();
});
