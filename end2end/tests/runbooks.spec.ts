// A runbook from import to its end in a real browser, against a testbed host: an admin
// imports a small runbook (manual, command, check, approval), runs it, a failing check
// stops the run until its retry passes, and a second co-admin approves.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { addTestbedHost, jsOn, ready, scratchDir, signIn } from "./helpers";

function runbook(slug: string): string {
  return `slug = "${slug}"
title = "Tour ${slug}"
summary = "Every kind of step."

[[params]]
name = "host"
label = "Host"
kind = "host"

[[params]]
name = "gate"
label = "Gate file"
kind = "text"

[[steps]]
id = "read"
title = "Read the plan"
kind = "manual"
why = "Everyone knows what happens."
instructions = "Read it."

[[steps]]
id = "hello"
title = "Say hello"
kind = "command"
why = "The host answers."
on = ["host"]
script = "echo hello from $TESTBED_HOST"

[[steps]]
id = "gate"
title = "The gate is open"
kind = "check"
why = "Nothing goes on until it is."
on = ["host"]
script = "cat {{gate}}"
pass_pattern = "open"

[[steps]]
id = "go"
title = "Go ahead"
kind = "approval"
why = "A second pair of eyes."
instructions = "Approve when the gate is open."
point_of_no_return = true
rollback = "Close the gate again."

[[steps]]
id = "end"
title = "Finish"
kind = "command"
why = "The end."
on = ["host"]
script = "echo finished"
`;
}

/** Clicks a step's button; without JavaScript, also waits for the page its form's POST leads to. */
async function press(page: Page, js: boolean, name: string) {
  const button = page.getByRole("button", { name });
  if (js) await button.click();
  else await Promise.all([page.waitForEvent("load"), button.click()]);
}

/** Waits until a step shows `state`: live with JavaScript, by reloading without. */
async function stepState(page: Page, js: boolean, step: string, state: string) {
  const item = page.locator(`li.run-step[data-step="${step}"]`);
  if (js) {
    await expect(item).toHaveAttribute("data-state", state, { timeout: 20_000 });
  } else {
    await expect
      .poll(
        async () => {
          await page.reload();
          return item.getAttribute("data-state");
        },
        { timeout: 20_000 },
      )
      .toBe(state);
  }
}

test("a runbook runs to its end on a testbed host, its failed check retried and approved by a second user", async ({
  page,
  browser,
}, info) => {
  test.setTimeout(120_000);
  const project = info.project.name;
  const js = jsOn(info);
  const identity = `rb-tb-${project}`;
  const host = `rb-${project}`;
  const slug = `tour-${project}`;
  const second = `rb-second-${project}`;
  const scratch = scratchDir(`owlery-e2e-rb-gate-${project}-`);
  const gate = `${scratch}/gate`;
  await signIn(page, info);

  await addTestbedHost(page, info, { identity, host, testbed: "hermes" });

  await page.goto("/settings/users/new");
  await ready(page, info);
  await page.getByLabel("Username").fill(second);
  await page.getByLabel("Role").selectOption("operator");
  await page.getByLabel("Initial password").fill("second runbook password");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page).toHaveURL(`/settings/users/${second}`);

  // A broken file is refused at its line; the fixed one is imported.
  await page.goto("/runbooks");
  await ready(page, info);
  await page.getByLabel("Runbook file (TOML)").fill(runbook(slug).replace("cat {{gate}}", "cat {{gat}}"));
  await page.getByRole("button", { name: "Import runbook" }).click();
  await expect(page.locator("#import-source-error")).toContainText(
    "line 36 (steps[2].script): unknown placeholder {{gat}}: no such parameter",
  );
  await page.getByLabel("Runbook file (TOML)").fill(runbook(slug));
  await page.getByRole("button", { name: "Import runbook" }).click();
  await expect(page).toHaveURL(`/runbooks/${slug}`);
  await ready(page, info);

  await page.getByRole("link", { name: "Start a run" }).click();
  await expect(page).toHaveURL(`/runbooks/${slug}/start`);
  await ready(page, info);
  await page.getByLabel("Host").selectOption(host);
  await page.getByLabel("Gate file").fill(gate);
  await press(page, js, `Start Tour ${slug}`);
  await expect(page).toHaveURL(/\/runs\/\d+/);
  await ready(page, info);
  const runUrl = new URL(page.url()).pathname;

  // The exact command shows before anything runs.
  await expect(page.locator('li[data-step="gate"] pre.command')).toHaveText(`cat ${gate}`);
  await expect(page.locator('li[data-step="hello"]')).toContainText("Waits until every earlier step");
  await press(page, js, "Mark done");
  await stepState(page, js, "read", "passed");

  await press(page, js, `Run on ${host}`);
  await stepState(page, js, "hello", "passed");

  await press(page, js, `Run on ${host}`);
  await stepState(page, js, "gate", "failed");
  await expect(page.locator('li[data-step="gate"] .step-reason')).toContainText(`failed on ${host} (exit 1`);
  await expect(page.locator('li[data-step="go"]')).toContainText("Waits until every earlier step");
  writeFileSync(gate, "open\n");
  await press(page, js, `Retry on ${host}`);
  await stepState(page, js, "gate", "passed");

  // The starter cannot approve; the second co-admin can.
  await expect(page.locator('li[data-step="go"] .own-approval')).toContainText("another co-admin must approve");
  await expect(page.getByRole("button", { name: "Approve" })).toBeDisabled();
  const other = await browser.newPage();
  await signIn(other, info, { username: second, password: "second runbook password" });
  await other.goto(runUrl);
  await ready(other, info);
  await press(other, js, "Approve");
  await stepState(other, js, "go", "approved");
  await expect(other.locator('li[data-step="go"] .step-meta')).toContainText(`approved by ${second}`);
  await other.close();

  // Without reloading, the starter's page shows the approval (JavaScript on).
  await stepState(page, js, "go", "approved");
  await press(page, js, `Run on ${host}`);
  await stepState(page, js, "end", "passed");
  await expect(page.locator(".run-state")).toContainText("done");
  await expect(page.locator(".run-progress-label")).toHaveText("done · 5 of 5 steps");
  rmSync(scratch, { recursive: true, force: true });

  // The merged .env.production is a download, never a page (with JavaScript too). For a
  // run of another runbook the merge is for the host Puma runs on: give it one.
  await page.goto(`/services/new?host=${host}&kind=puma`);
  await ready(page, info);
  await page.getByLabel("Name", { exact: true }).fill(`puma-${project}`);
  await page.getByLabel("systemd unit", { exact: true }).fill(`puma-${project}.service`);
  await page.getByRole("button", { name: "Add service" }).click();
  await expect(page).toHaveURL(`/services/puma-${project}`);
  await page.goto(`${runUrl}/env-merge`);
  await ready(page, info);
  await page.getByLabel("The source's .env.production").fill("LOCAL_DOMAIN=social.example\nSECRET_KEY_BASE=s3cret\n");
  await page.getByLabel("The target's current file").fill("LOCAL_DOMAIN=social.example\n");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the merged file" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("env.production");
  const merged = readFileSync(await download.path(), "utf8");
  expect(merged).toContain("LOCAL_DOMAIN=social.example");
  expect(merged).toContain("SECRET_KEY_BASE=s3cret");
  await expect(page).toHaveURL(`${runUrl}/env-merge`);
});
