// The buckets area in a real browser: JavaScript on and off, same expectations, except
// how the generated env block is taken (Copy with JavaScript, Download without).
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { jsOn, ready, signIn } from "./helpers";

test("an admin creates a bucket on an external endpoint and takes its env block", async ({ page, context }, info) => {
  // Bucket names are lowercase: "media-js" and "media-no-js" keep the projects apart.
  const name = `media-${info.project.name}`;
  const alias = `${name}.social.example`;
  await signIn(page, info);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Buckets" }).click();
  await expect(page).toHaveURL("/buckets");
  await ready(page, info);
  await page.getByRole("link", { name: "Add bucket" }).click();
  await expect(page).toHaveURL("/buckets/new");
  await ready(page, info);
  await page.getByLabel("Name", { exact: true }).fill("Media_Files");
  await page.getByLabel("External endpoint URL").fill("https://s3.fr-par.scw.cloud");
  await page.getByLabel("Public alias host").fill(alias);
  await page.getByRole("button", { name: "Add bucket" }).click();

  // The bad name is refused next to its field; everything else typed is still there.
  await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(/lowercase letters/);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Media_Files");
  await expect(page.getByLabel("External endpoint URL")).toHaveValue("https://s3.fr-par.scw.cloud");
  await expect(page.getByLabel("Public alias host")).toHaveValue(alias);

  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Add bucket" }).click();
  await expect(page).toHaveURL(`/buckets/${name}`);
  await ready(page, info);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);

  // Path-style: Mastodon gets S3_HOSTNAME, never S3_ALIAS_HOST.
  const env = page.locator("figure.code-block", { hasText: ".env.production: S3 settings" });
  await expect(env.locator("pre")).toContainText(`S3_HOSTNAME=${alias}`);
  await expect(env.locator("pre")).toContainText("S3_ENDPOINT=https://s3.fr-par.scw.cloud");
  await expect(env.locator("pre")).not.toContainText("S3_ALIAS_HOST=");

  if (jsOn(info)) {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const copy = env.getByRole("button", { name: "Copy .env.production: S3 settings" });
    await copy.click();
    await expect(copy).toHaveText("Copied");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`S3_BUCKET=${name}\n`);
    expect(copied).toContain(`S3_HOSTNAME=${alias}\n`);
  } else {
    // Without JavaScript there is no Copy button; the Download link serves the same text.
    await expect(env.getByRole("button", { name: /Copy/ })).toBeHidden();
    const downloading = page.waitForEvent("download");
    await env.getByRole("link", { name: "Download" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("mastodon-s3.env");
    const text = await readFile(await download.path(), "utf8");
    expect(text).toContain(`S3_BUCKET=${name}\n`);
    expect(text).toContain(`S3_HOSTNAME=${alias}\n`);
  }

  // The creation is in the bucket's history.
  await expect(page.getByText(`create bucket ${name}`)).toBeVisible();
});

test("an access user is added with its actions and shows in the generated policy", async ({ page }, info) => {
  const name = `users-${info.project.name}`;
  await signIn(page, info);
  await page.goto("/buckets/new");
  await ready(page, info);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("External endpoint URL").fill("https://s3.example.net");
  await page.getByRole("button", { name: "Add bucket" }).click();
  await expect(page).toHaveURL(`/buckets/${name}`);
  await ready(page, info);

  await page.getByRole("link", { name: "Add access user" }).click();
  await expect(page).toHaveURL(`/buckets/${name}/users/new`);
  await ready(page, info);
  await page.getByLabel("Access key").fill("mastodon");
  await page.getByLabel("Secret key in the secret store").fill("s3-mastodon");
  await page.getByRole("button", { name: "Add user" }).click();
  // No action ticked: refused, the typed key kept.
  await expect(page.getByText("tick at least one action")).toBeVisible();
  await expect(page.getByLabel("Access key")).toHaveValue("mastodon");

  await page.getByLabel("get objects").check();
  await page.getByLabel("put objects").check();
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page).toHaveURL(`/buckets/${name}`);
  const policy = page.locator("figure.code-block", { hasText: "Policy of mastodon" });
  await expect(policy.locator("pre")).toContainText('"s3:PutObject"');
  await expect(page.locator("figure.code-block pre").first()).toContainText(
    "AWS_SECRET_ACCESS_KEY=<secret s3-mastodon in Owlery>",
  );
});
