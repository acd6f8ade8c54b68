// An SSH job from start to end in a real browser, against a testbed host: an admin
// imports the testbed key and pins the host's key, an operator's job runs, and its
// output shows up while it runs (JavaScript on) or on reload (JavaScript off).
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { jsOn, ready, signIn } from "./helpers";

function hermes(): { addr: string; port: string } {
  const entry = (process.env.TESTBED_HOSTS ?? "").split(",").find((e) => e.startsWith("hermes="));
  if (!entry) throw new Error("TESTBED_HOSTS is not set: run the tests through make");
  const [addr, port] = entry.slice("hermes=".length).split(/:(?=\d+$)/);
  return { addr, port };
}

test("an operator runs a job on a testbed host and watches its output", async ({ page }, info) => {
  const project = info.project.name;
  const identity = `tb-${project}`;
  const host = `job-${project}`;
  const { addr, port } = hermes();
  await signIn(page, info);

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

  await page.getByRole("link", { name: "Run a job" }).click();
  await expect(page).toHaveURL(`/jobs/new?targets=${host}`);
  await ready(page, info);
  const gate = `/tmp/owlery-e2e-gate-${project}-${Date.now()}`;
  rmSync(gate, { force: true });
  await page.locator("#job-action").selectOption("command");
  // With JavaScript the job waits for the test, so the first line is seen while it runs.
  const command = jsOn(info)
    ? `echo "one from $TESTBED_HOST"; while [ ! -e ${gate} ]; do sleep 0.05; done; echo two >&2`
    : `echo "one from $TESTBED_HOST"; echo two >&2`;
  await page.locator("#job-command").fill(command);
  if (!jsOn(info)) {
    // The exact command before anything runs, without JavaScript too.
    await page.getByRole("button", { name: "Show the command" }).click();
    await expect(page).toHaveURL(/\/jobs\/new\?/);
    await expect(page.locator(".command-preview pre.command")).toHaveText(command);
    await expect(page.locator("#job-command")).toHaveValue(command);
  } else {
    await expect(page.getByRole("button", { name: "Show the command" })).toHaveCount(0);
    await expect(page.locator(".command-preview pre.command")).toHaveText(command);
  }
  await page.locator("form button[type=submit].primary").click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await ready(page, info);
  await expect(page.locator("pre.command")).toHaveText(command);
  const state = page.locator(".job-state");
  const lines = page.locator(`.log-line[data-host="${host}"]`);

  if (jsOn(info)) {
    await expect(lines.first()).toContainText("one from hermes");
    await expect(state).toContainText("running");
    expect(existsSync(gate)).toBe(false);
    writeFileSync(gate, "");
  } else {
    await expect
      .poll(async () => {
        await page.reload();
        return state.textContent();
      })
      .toContain("succeeded");
  }
  await expect(state).toContainText("succeeded");
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(1)).toContainText("two");
  await expect(lines.nth(1)).toHaveClass(/stderr/);
  await expect(page.locator(`tr[data-host="${host}"]`)).toContainText("succeeded");
  rmSync(gate, { force: true });
});
