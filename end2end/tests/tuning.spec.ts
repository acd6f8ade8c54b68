// The Tuning page against a testbed host whose systemctl is docker-systemctl-replacement
// with a unit directory of its own: the unit templates are installed, a connection-budget
// overrun is refused, then a stand-in Sidekiq is added, seen running, changed and removed,
// each change an SSH job with its log.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { addTestbedHost, jsOn, ready, scratchDir, signIn } from "./helpers";

const SYSTEMCTL_PY = process.env.SYSTEMCTL_PY ?? `${process.cwd()}/../.tools/systemctl/systemctl2/systemctl3.py`;

/** Prints what the decoder gave it, then waits to be stopped, as Sidekiq would run. */
const STAND_IN = '#!/bin/sh\necho "stand-in $*"\necho "DB_POOL=${DB_POOL:-unset}"\nexec sleep 600\n';

/** Stops whatever a failed run left enabled under `root`. */
function stopAll(root: string) {
  const wants = `${root}/etc/systemd/system/multi-user.target.wants`;
  let units: string[] = [];
  try {
    units = readdirSync(wants);
  } catch {
    return;
  }
  for (const unit of units) {
    execFileSync("/usr/bin/python3", [SYSTEMCTL_PY, `--root=${root}`, "stop", unit], { stdio: "ignore" });
  }
}

/** Waits on a job page until the job has succeeded. */
async function succeeded(page: Page, info: TestInfo) {
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await ready(page, info);
  const state = page.locator(".job-state");
  if (!jsOn(info)) {
    await expect
      .poll(async () => {
        await page.reload();
        return state.textContent();
      })
      .toMatch(/succeeded|failed/);
  }
  await expect(state).toContainText("succeeded");
}

test("an operator adds, changes and removes a Sidekiq instance on the Tuning page", async ({ page }, info) => {
  test.setTimeout(120_000);
  const project = info.project.name;
  const identity = `tb-tune-${project}`;
  const host = `tune-${project}`;
  const scratch = scratchDir(`owlery-e2e-tuning-${project}-`);
  const root = `${scratch}/hosts/hedwig`;
  mkdirSync(root, { recursive: true });
  writeFileSync(`${root}/stand-in`, STAND_IN);
  const tuning = `/hosts/${host}/tuning`;
  try {
    await signIn(page, info);
    await addTestbedHost(page, info, { identity, host, testbed: "hedwig", ram: "1024" });

    // Where the units live on this host: its own systemctl.py root.
    await page.getByRole("link", { name: "Tuning", exact: true }).click();
    await expect(page).toHaveURL(tuning);
    await ready(page, info);
    const settings = page.locator("#settings-form");
    await settings.getByLabel("systemctl command").fill(`/usr/bin/python3 ${SYSTEMCTL_PY} --root=${root}`);
    await settings.getByLabel("Unit directory").fill(`${root}/etc/systemd/system`);
    await settings.getByLabel("Decoder path").fill(`${root}/usr/local/lib/owlery/mastodon-unit-decode`);
    await settings.getByLabel("Mastodon user").fill("root");
    await settings.getByLabel("Mastodon directory").fill("/");
    await settings.getByLabel("Sidekiq command").fill(`/bin/sh ${root}/stand-in sidekiq`);
    await settings.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("The defaults of a Mastodon install")).toHaveCount(0);
    await expect(settings.getByLabel("Unit directory")).toHaveValue(`${root}/etc/systemd/system`);

    await page.getByRole("button", { name: "Install unit templates" }).click();
    await succeeded(page, info);
    await expect(page.locator("pre.command")).toContainText("daemon-reload");
    await page.goto(tuning);
    await ready(page, info);
    await expect(page.getByText("No mastodon-puma@ or mastodon-sidekiq@ instance here yet")).toBeVisible();

    // 200 threads exceed PostgreSQL's connections: refused at the override box, kept in the form.
    const form = page.locator("#instance-form");
    await form.getByLabel("Concurrency (threads)").fill("200");
    await form.getByRole("button", { name: `Start the instance on ${host}` }).click();
    await expect(page.locator("#instance-override_budget-error")).toContainText(
      /Over budget: database connections \d+ → \d+ \/ \d+; memory \d+ → \d+ \/ 1024 MiB/,
    );
    // Without JavaScript the browser comes back to the page (the error rides along).
    await expect(page).toHaveURL(new RegExp(`${tuning}(\\?|$)`));
    await expect(form.getByLabel("Concurrency (threads)")).toHaveValue("200");
    await page.goto(tuning);
    await ready(page, info);
    await expect(page.locator("tr[data-unit]")).toHaveCount(0);

    await form.getByLabel("Concurrency (threads)").fill("5");
    await form.getByRole("button", { name: `Start the instance on ${host}` }).click();
    await succeeded(page, info);
    await expect(page.locator("pre.command")).toContainText("start -- mastodon-sidekiq@c5.service");
    await page.goto(tuning);
    await ready(page, info);
    const c5 = page.locator('tr[data-unit="mastodon-sidekiq@c5.service"]');
    await expect(c5).toContainText("active");
    await expect(c5).toContainText("DB_POOL=5 -c 5");

    await c5.getByRole("link", { name: "Change" }).click();
    await ready(page, info);
    await expect(page.getByRole("heading", { name: "Change mastodon-sidekiq@c5.service" })).toBeVisible();
    await expect(form.getByLabel("Concurrency (threads)")).toHaveValue("5");
    await form.getByLabel("Concurrency (threads)").fill("6");
    await form.getByRole("button", { name: "Start the new instance, then stop mastodon-sidekiq@c5.service" }).click();
    await succeeded(page, info);
    await page.goto(tuning);
    await ready(page, info);
    const c6 = page.locator('tr[data-unit="mastodon-sidekiq@c6.service"]');
    await expect(c6).toContainText("active");
    await expect(page.locator("tr[data-unit]")).toHaveCount(1);

    await c6.getByRole("link", { name: "Remove…" }).click();
    await ready(page, info);
    await expect(page.locator(".confirm pre.command")).toContainText("stop -- mastodon-sidekiq@c6.service");
    await page.getByRole("button", { name: `Stop and disable mastodon-sidekiq@c6.service on ${host}` }).click();
    await succeeded(page, info);
    await page.goto(tuning);
    await ready(page, info);
    await expect(page.getByText("No mastodon-puma@ or mastodon-sidekiq@ instance here yet")).toBeVisible();
  } finally {
    stopAll(root);
    rmSync(scratch, { recursive: true, force: true });
  }
});
