// The config check in a real browser: a pasted .env.production checked against a
// bucket made through the UI, and drift read live from a testbed host; JavaScript on
// and off, same expectations.
import { expect, type Page, test } from "@playwright/test";
import { addTestbedHost, testbedHost, jsOn, ready, signIn } from "./helpers";

async function add(page: Page, url: string, fields: [string, string][], button: string, done: string) {
  await page.goto(url);
  await ready(page, test.info());
  for (const [label, value] of fields) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: button }).click();
  await expect(page).toHaveURL(done);
}

function env(host: string, bucket: string, media: string): string {
  return [
    "LOCAL_DOMAIN=social.example",
    `DB_HOST=${host}`,
    `REDIS_HOST=${host}`,
    "SECRET_KEY_BASE=e2e-secret-never-shown",
    "OTP_SECRET=e2e-otp-never-shown",
    "VAPID_PRIVATE_KEY=e2e-vapid-never-shown",
    "VAPID_PUBLIC_KEY=e2e-vapid-public",
    "S3_ENABLED=true",
    `S3_BUCKET=${bucket}`,
    "S3_ENDPOINT=https://s3.example.net",
    "AWS_ACCESS_KEY_ID=mastodon",
    "AWS_SECRET_ACCESS_KEY=e2e-aws-never-shown",
    media,
  ].join("\n");
}

test("a pasted env with S3_ALIAS_HOST for a path-style bucket is caught, a clean one passes", async ({ page }, info) => {
  const p = info.project.name;
  const host = `chk-${p}`;
  const bucket = `chk-media-${p}`;
  const alias = `media-${p}.social.example`;
  await signIn(page, info);

  // Where the env's database and Redis run, so those lines check out.
  await add(page, "/hosts/new", [["Name", host], ["Provider", "Scaleway"], ["Plan", "Start1-XS"], ["SSH address", "192.0.2.71"]], "Add host", `/hosts/${host}`);
  for (const kind of ["postgresql", "redis"]) {
    await add(page, `/services/new?host=${host}&kind=${kind}`, [["Name", `chk-${kind}-${p}`]], "Add service", `/services/chk-${kind}-${p}`);
  }
  await add(
    page,
    "/buckets/new",
    [["Name", bucket], ["External endpoint URL", "https://s3.example.net"], ["Public alias host", alias]],
    "Add bucket",
    `/buckets/${bucket}`,
  );
  await expect(page.getByText("path-style", { exact: true })).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Checks" }).click();
  await expect(page).toHaveURL("/checks");
  await ready(page, info);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Checks");

  // The article's first mistake: S3_ALIAS_HOST on a path-style bucket.
  await page.getByRole("textbox", { name: ".env.production" }).fill(env(host, bucket, `S3_ALIAS_HOST=${alias}`));
  await page.getByRole("button", { name: "Check this env" }).click();
  const result = page.getByRole("status");
  await expect(result).toContainText(`Bucket ${bucket} is path-style, but the env sets S3_ALIAS_HOST=${alias}.`);
  await expect(result).toContainText(`How to fix: Replace S3_ALIAS_HOST with S3_HOSTNAME=${alias}`);
  await expect(result.getByRole("link", { name: `bucket ${bucket}` })).toHaveAttribute("href", `/buckets/${bucket}`);
  await expect(result).toContainText("1 error(s), 0 warning(s)");
  await expect(page.locator("body")).not.toContainText("never-shown");

  // The same env as the bucket's page generates it: nothing to report.
  await page.goto("/checks");
  await ready(page, info);
  await page.getByRole("textbox", { name: ".env.production" }).fill(env(host, bucket, `S3_HOSTNAME=${alias}`));
  await page.getByRole("button", { name: "Check this env" }).click();
  await expect(page.getByRole("status")).toContainText("✓ No errors or warnings in this env.");
  await expect(page.getByRole("status")).toContainText("0 error(s), 0 warning(s)");
});

test("an empty paste is refused next to the field", async ({ page }, info) => {
  await signIn(page, info);
  await page.goto("/checks");
  await ready(page, info);
  await page.getByRole("button", { name: "Check this env" }).click();
  await expect(page.getByRole("textbox", { name: ".env.production" })).toHaveAccessibleDescription(/paste the contents of \.env\.production$/);
});

test("reading the live state shows a recorded port nothing listens on, and not one that listens", async ({ page }, info) => {
  test.setTimeout(120_000);
  const p = info.project.name;
  const identity = `drift-${p}`;
  const host = `drift-${p}`;
  const { port } = testbedHost("hedwig");
  await signIn(page, info);

  // A testbed host Owlery can reach: its identity chosen and its host key pinned.
  await addTestbedHost(page, info, { identity, host, testbed: "hedwig" });

  // sshd really listens on the host's SSH port; nothing listens on port 1.
  const service = (name: string, listen: string) =>
    add(page, `/services/new?host=${host}&kind=custom`, [["Name", name], ["systemd unit", `${name}.service`], ["Listen address", "127.0.0.1"], ["Port", listen]], "Add service", `/services/${name}`);
  await service(`sshd-${p}`, port);
  await service(`ghost-${p}`, "1");

  await page.goto("/checks");
  await ready(page, info);
  const live = page.getByRole("region", { name: "Live state" });
  const row = live.locator(`tr[data-host="${host}"]`);
  await expect(row).toContainText("never");
  await expect(live).toContainText(host);
  await expect(page.locator("body")).not.toContainText(`ghost-${p} should listen`);
  await live.getByRole("button", { name: /^Read live state on \d+ hosts?$/ }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await ready(page, info);
  // The facts are stored when the whole job ends, after its hosts did: wait for the job.
  const state = page.locator(".job-state");
  if (jsOn(info)) {
    await expect(state).toHaveClass(/\bsucceeded\b/, { timeout: 60_000 });
  } else {
    await expect
      .poll(async () => {
        await page.reload();
        return state.getAttribute("class");
      }, { timeout: 60_000 })
      .toMatch(/\bsucceeded\b/);
  }
  await expect(page.locator(`tr[data-host="${host}"]`)).toHaveAttribute("data-state", "succeeded");

  await page.goto("/checks");
  await ready(page, info);
  await expect(row).toContainText("just now");
  const inventory = page.getByRole("region", { name: "Inventory" });
  await expect(inventory).toContainText(`ghost-${p} should listen on port 1 on ${host}, but nothing listened there when facts were gathered just now.`);
  await expect(inventory).toContainText("How to fix: Start it (`systemctl start ghost-" + p + ".service`");
  await expect(inventory).not.toContainText(`sshd-${p} should listen`);
  await expect(inventory.getByRole("link", { name: `service ghost-${p}` }).first()).toHaveAttribute("href", `/services/ghost-${p}`);
});
