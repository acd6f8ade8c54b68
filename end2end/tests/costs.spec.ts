// The costs area in a real browser, JavaScript on and off: a plan change from next month
// changes next month's total only; the chart shows; a what-if scenario compares.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { ready, signIn } from "./helpers";

/** "2026-11" of this month and the next, in UTC like the server. */
function months(): [string, string] {
  const now = new Date();
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return [now.toISOString().slice(0, 7), next.toISOString().slice(0, 7)];
}

async function addPlan(page: Page, info: TestInfo, provider: string, name: string, price: string, currency: string) {
  await page.goto("/costs/plans");
  await ready(page, info);
  await page.getByLabel("Provider").fill(provider);
  await page.getByLabel("Plan name").fill(name);
  await page.getByLabel("Monthly price").fill(price);
  await page.getByLabel("Currency").fill(currency);
  await page.getByLabel("Saving without IPv4").fill("0");
  await page.getByRole("button", { name: "Add plan" }).click();
  const row = page.getByRole("row").filter({ hasText: provider });
  await expect(row.getByRole("link", { name, exact: true })).toBeVisible();
}

test("a plan change from next month changes next month's total and leaves this month's", async ({ page }, info) => {
  // Each project bills in its own currency: the other project's hosts, running at the
  // same time on the same server, never show in these totals.
  const currency = info.project.name === "js" ? "CHF" : "GBP";
  const provider = `E2E-${info.project.name}`;
  const host = `cost-${info.project.name}`;
  const [thisMonth, nextMonth] = months();
  await signIn(page, info);

  await page.goto("/costs/plans");
  await ready(page, info);
  await page.getByLabel("Monthly price").fill("2.005");
  await page.getByLabel("Provider").fill(provider);
  await page.getByLabel("Plan name").fill("Small");
  await page.getByLabel("Currency").fill(currency);
  await page.getByRole("button", { name: "Add plan" }).click();
  await expect(page.getByLabel("Monthly price")).toHaveAccessibleDescription(/2 decimals at most/);
  await addPlan(page, info, provider, "Small", "2.00", currency);
  await addPlan(page, info, provider, "Big", "5,00", currency);

  await page.goto("/hosts/new");
  await ready(page, info);
  await page.getByLabel("Name", { exact: true }).fill(host);
  await page.getByLabel("Provider").fill(provider);
  await page.getByLabel("Plan").fill("Small");
  await page.getByLabel("SSH address").fill("2001:db8::70");
  await page.getByRole("button", { name: "Add host" }).click();
  await expect(page).toHaveURL(`/hosts/${host}`);

  // On Small from the 1st of this month.
  await page.goto(`/costs/hosts/${host}`);
  await ready(page, info);
  await expect(page.getByText("No plan yet")).toBeVisible();
  await page.getByLabel("From").fill(`${thisMonth}-01`);
  await page.getByLabel("New plan").selectOption({ label: `${provider} Small (2.00 ${currency}/month)` });
  await page.getByRole("button", { name: `Change plan of ${host}` }).click();
  await expect(page.locator("table.periods tbody tr")).toHaveCount(1);

  const range = `/costs?from=${thisMonth}&to=${nextMonth}`;
  const expected = (month: string) => page.locator(`tr[data-month="${month}"] td.expected`);
  await page.goto(range);
  await ready(page, info);
  await expect(expected(thisMonth)).toContainText(`2.00 ${currency}`);
  await expect(expected(nextMonth)).toContainText(`2.00 ${currency}`);

  // On Big from the 1st of next month: the form starts there.
  await page.getByRole("link", { name: host, exact: true }).first().click();
  await expect(page).toHaveURL(`/costs/hosts/${host}`);
  await ready(page, info);
  await expect(page.getByLabel("From")).toHaveValue(`${nextMonth}-01`);
  await page.getByLabel("New plan").selectOption({ label: `${provider} Big (5.00 ${currency}/month)` });
  await page.getByRole("button", { name: `Change plan of ${host}` }).click();
  await expect(page.locator("table.periods tbody tr")).toHaveCount(2);
  await expect(page.locator("table.periods tbody tr").first()).toContainText(`${provider} Big`);
  await expect(page.locator("table.periods tbody tr").nth(1)).toContainText(`until ${thisMonth}-`);

  await page.goto(range);
  await ready(page, info);
  await expect(expected(thisMonth)).toContainText(`2.00 ${currency}`);
  await expect(expected(nextMonth)).toContainText(`5.00 ${currency}`);
  await expect(expected(nextMonth)).not.toContainText(`2.00 ${currency}`);
  await expect(page.getByText("counts for its days only")).toBeVisible();

  // The chart is drawn on the server: it is there with JavaScript off as well.
  const chart = page.locator("svg.cost-chart");
  await expect(chart).toBeVisible();
  await expect(chart.locator("rect").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
    "href",
    `/costs.csv?from=${thisMonth}&to=${nextMonth}`,
  );

  // What-if: the current cluster plus one more Big host.
  await page.goto("/costs/scenarios");
  await ready(page, info);
  const scenario = `what-if-${info.project.name}`;
  await page.getByLabel("Scenario name").fill(scenario);
  await page.getByRole("button", { name: "Create scenario" }).click();
  await expect(page).toHaveURL(/\/costs\/scenarios\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(scenario);
  await ready(page, info);
  await page.getByLabel("Host name").fill(`extra-${info.project.name}`);
  await page.getByLabel("Plan", { exact: true }).selectOption({ label: `${provider} Big (5.00 ${currency}/month)` });
  await page.getByLabel("Public IPv4").selectOption("no");
  await page.getByRole("button", { name: "Add host to scenario" }).click();
  await expect(page.getByRole("cell", { name: `extra-${info.project.name}`, exact: true })).toBeVisible();
  const perMonth = page.getByRole("row", { name: /^Per month/ });
  await expect(perMonth.locator("td").first()).toContainText(`2.00 ${currency}`);
  await expect(perMonth.locator("td").nth(1)).toContainText(`7.00 ${currency}`);
  await expect(page.getByRole("row", { name: /^Per year/ }).locator("td").nth(1)).toContainText(
    `84.00 ${currency}`,
  );
});
