// Co-admins in the browser: an admin adds a user, who turns on two-factor sign-in and
// then needs a code to sign in. JavaScript on and off.
import { expect, test } from "@playwright/test";
import { ready, signIn, totp } from "./helpers";

test("a new co-admin enrols a second factor and signs in with a code", async ({ browser, page }, info) => {
  const name = `totp-${info.project.name}-${info.repeatEachIndex}`;
  const password = "totp user password";

  await signIn(page, info);
  await page.goto("/settings/users/new");
  await ready(page, info);
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Role").selectOption("operator");
  await page.getByLabel("Initial password").fill(password);
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page).toHaveURL(`/settings/users/${name}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);

  const user = await browser.newPage();
  await signIn(user, info, { username: name, password });
  await user.goto("/account");
  await ready(user, info);
  const secret = (await user.locator(".secret").textContent()) ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await user.getByLabel("Code from the app").fill("000000");
  await user.getByLabel("Your password").fill(password);
  await user.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(user.getByLabel("Code from the app")).toHaveAccessibleDescription(/does not match/);

  await user.getByLabel("Code from the app").fill(totp(secret));
  await user.getByLabel("Your password").fill(password);
  await user.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(user.getByText("Save these recovery codes now")).toBeVisible();
  await expect(user.locator(".recovery li")).toHaveCount(10);

  await user.getByRole("button", { name: "Sign out" }).click();
  await expect(user).toHaveURL(/\/login/);
  await user.getByLabel("Username").fill(name);
  await user.getByLabel("Password").fill(password);
  await user.getByRole("button", { name: "Sign in" }).click();
  await expect(user).toHaveURL(/\/login\/totp/);
  await user.getByLabel("Code").fill(totp(secret));
  await user.getByRole("button", { name: "Verify" }).click();
  await expect(user).toHaveURL("/");
  await expect(user.getByRole("navigation", { name: "Main" })).toContainText(name);

  await page.goto("/settings/users");
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("TOTP");
});

test("an admin changes a co-admin's role and cannot demote the last admin", async ({ page }, info) => {
  const name = `role-${info.project.name}`;
  await signIn(page, info);
  await page.goto("/settings/users/new");
  await ready(page, info);
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Initial password").fill("role user password");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page).toHaveURL(`/settings/users/${name}`);
  await page.getByLabel("Role").selectOption("operator");
  await page.getByRole("button", { name: `Save ${name}` }).click();
  await expect(page.locator(".page-header .badge").first()).toHaveText("operator");

  await page.goto("/settings/users/e2e-admin");
  await ready(page, info);
  await page.getByLabel("Role").selectOption("viewer");
  await page.getByRole("button", { name: "Save e2e-admin" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "please correct" })).toBeVisible();
  await expect(page.getByText("e2e-admin is the last admin")).toBeVisible();
});
