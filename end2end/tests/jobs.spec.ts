// An SSH job from start to end in a real browser, against a testbed host: an admin
// imports the testbed key and pins the host's key, an operator's job runs, and its
// output shows up while it runs (JavaScript on) or on reload (JavaScript off).
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { addTestbedHost, jsOn, ready, scratchDir, signIn } from "./helpers";

test("an operator runs a job on a testbed host and watches its output", async ({ page }, info) => {
  const project = info.project.name;
  const identity = `tb-${project}`;
  const host = `job-${project}`;
  await signIn(page, info);

  await addTestbedHost(page, info, { identity, host, testbed: "hermes" });

  await page.getByRole("link", { name: "Run a job" }).click();
  await expect(page).toHaveURL(`/jobs/new?targets=${host}`);
  await ready(page, info);
  const scratch = scratchDir(`owlery-e2e-gate-${project}-`);
  const gate = `${scratch}/gate`;
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
  rmSync(scratch, { recursive: true, force: true });
});
