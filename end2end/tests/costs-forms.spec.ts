// The cost forms keep what was typed when a value is refused (the no-js project posts plain
// forms), exchange rates convert the grand total, a scenario links to a runbook draft, and
// invoices come from a CSV file when JavaScript runs.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { jsOn, ready, signIn } from "./helpers";

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

async function addHost(page: Page, info: TestInfo, name: string, provider: string, plan: string) {
  await page.goto("/hosts/new");
  await ready(page, info);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Provider").fill(provider);
  await page.getByLabel("Plan").fill(plan);
  await page.getByLabel("SSH address").fill("2001:db8::71");
  await page.getByRole("button", { name: "Add host" }).click();
  await expect(page).toHaveURL(`/hosts/${name}`);
}

/** Puts `host` on `plan` (an option label) from `day`. */
async function changePlan(page: Page, info: TestInfo, host: string, day: string, plan: string) {
  await page.goto(`/costs/hosts/${host}`);
  await ready(page, info);
  const rows = await page.locator("table.periods tbody tr").count();
  await page.getByLabel("From").fill(day);
  await page.getByLabel("New plan").selectOption({ label: plan });
  await page.getByRole("button", { name: `Change plan of ${host}` }).click();
  await expect(page.locator("table.periods tbody tr")).toHaveCount(rows + 1);
}

test("a refused value comes back with its message and every other typed value kept", async ({ page }, info) => {
  const p = info.project.name;
  const provider = `Forms-${p}`;
  const host = `forms-${p}`;
  await signIn(page, info);
  await addPlan(page, info, provider, "Small", "2.00", "EUR");
  await addHost(page, info, host, provider, "Small");

  // The Costs page: an invoice with a bad amount.
  await page.goto("/costs");
  await ready(page, info);
  await page.getByLabel("Provider", { exact: true }).fill(provider);
  await page.getByLabel("Invoice number").fill(`INV-${p}`);
  await page.getByLabel("Amount", { exact: true }).fill("four euros");
  await page.getByRole("button", { name: "Add invoice" }).click();
  await expect(page.getByLabel("Amount", { exact: true })).toHaveAccessibleDescription(/use an amount like/);
  await expect(page.getByLabel("Amount", { exact: true })).toHaveValue("four euros");
  await expect(page.getByLabel("Invoice number")).toHaveValue(`INV-${p}`);
  await expect(page.getByLabel("Provider", { exact: true })).toHaveValue(provider);

  // The same page: a rate that is no number.
  await page.getByLabel("From currency").fill("SEK");
  await page.getByLabel("Rate", { exact: true }).fill("cheap");
  await page.getByRole("button", { name: "Set rate" }).click();
  await expect(page.getByLabel("Rate", { exact: true })).toHaveAccessibleDescription(/use a rate like 0.92/);
  await expect(page.getByLabel("From currency")).toHaveValue("SEK");

  // A host's cost history: a charge with a bad amount, and a plan change with bad extras.
  await page.goto(`/costs/hosts/${host}`);
  await ready(page, info);
  await page.getByLabel("Amount").fill("1.234");
  await page.getByLabel("What for").fill("snapshot restore");
  await page.getByLabel("Date").fill("2026-02-03");
  await page.getByRole("button", { name: "Add charge" }).click();
  await expect(page.getByLabel("Amount")).toHaveAccessibleDescription(/2 decimals at most/);
  await expect(page.getByLabel("What for")).toHaveValue("snapshot restore");
  await expect(page.getByLabel("Date")).toHaveValue("2026-02-03");
  await page.getByLabel("From").fill("2026-05-01");
  await page.getByLabel("New plan").selectOption({ label: `${provider} Small (2.00 EUR/month)` });
  await page.getByLabel("Public IPv4").selectOption("no");
  await page.getByLabel("Extras per month").fill("lots");
  await page.getByLabel("Extras note").fill("backups");
  await page.getByRole("button", { name: `Change plan of ${host}` }).click();
  await expect(page.getByLabel("Extras per month")).toHaveAccessibleDescription(/use an amount like/);
  await expect(page.getByLabel("From")).toHaveValue("2026-05-01");
  await expect(page.getByLabel("Public IPv4")).toHaveValue("no");
  await expect(page.getByLabel("Extras note")).toHaveValue("backups");
  await expect(page.locator("table.periods")).toHaveCount(0);

  // A scenario: a host without a name, then a name too long.
  await page.goto("/costs/scenarios");
  await ready(page, info);
  await page.getByLabel("Scenario name").fill(`forms-${p}`);
  await page.getByLabel("Copy the current cluster").selectOption("no");
  await page.getByRole("button", { name: "Create scenario" }).click();
  await expect(page).toHaveURL(/\/costs\/scenarios\/\d+$/);
  await ready(page, info);
  const plan = `${provider} Small (2.00 EUR/month)`;
  await page.getByLabel("Plan", { exact: true }).selectOption({ label: plan });
  await page.getByLabel("Public IPv4").selectOption("no");
  await page.getByRole("button", { name: "Add host to scenario" }).click();
  await expect(page.getByLabel("Host name")).toHaveAccessibleDescription(/required/);
  await expect(page.getByLabel("Plan", { exact: true }).locator("option:checked")).toHaveText(plan);
  await expect(page.getByLabel("Public IPv4")).toHaveValue("no");
  const long = "x".repeat(81);
  await page.getByLabel("New name").fill(long);
  await page.getByRole("button", { name: "Rename scenario" }).click();
  await expect(page.getByLabel("New name")).toHaveAccessibleDescription(/at most 80/);
  await expect(page.getByLabel("New name")).toHaveValue(long);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`forms-${p}`);
});

test("a rate into the reporting currency converts the grand total, and says so", async ({ page }, info) => {
  // A past year of its own per project: only this host is billed then.
  const p = info.project.name;
  const [year, currency] = p === "js" ? ["1991", "SEK"] : ["1992", "NOK"];
  const provider = `Rates-${p}`;
  const host = `rates-${p}`;
  await signIn(page, info);
  await addPlan(page, info, provider, "Box", "10.00", currency);
  await addHost(page, info, host, provider, "Box");
  await changePlan(page, info, host, `${year}-01-01`, `${provider} Box (10.00 ${currency}/month)`);
  await changePlan(page, info, host, `${year}-02-01`, "No longer billed");

  await page.goto("/costs");
  await ready(page, info);
  await page.getByLabel("Convert totals into").fill("EUR");
  await page.getByRole("button", { name: "Set reporting currency" }).click();
  await expect(page.getByText("Reporting currency: EUR")).toBeVisible();

  const range = `/costs?from=${year}-01&to=${year}-01`;
  await page.goto(range);
  await ready(page, info);
  await expect(page.locator(".not-converted")).toHaveText(
    `No rate to EUR valid on ${year}-01-31 for ${currency}: the totals stay per currency.`,
  );

  await page.getByLabel("From currency").fill(currency);
  await page.getByLabel("To currency").fill("EUR");
  await page.getByLabel("Rate", { exact: true }).fill("0,1");
  await page.getByLabel("Valid from").fill(`${year}-01-01`);
  await page.getByRole("button", { name: "Set rate" }).click();
  await expect(page.getByRole("cell", { name: `1 ${currency} = 0.1 EUR` })).toBeVisible();

  await page.goto(range);
  await ready(page, info);
  const converted = page.locator(".converted");
  await expect(converted).toContainText("Converted to EUR: 1.00 EUR");
  await expect(converted).toContainText(`1 ${currency} = 0.1 EUR from ${year}-01-01`);
  await expect(page.getByText("half to even")).toBeVisible();
});

test("a scenario host on another plan links to a runbook draft moving it", async ({ page }, info) => {
  const p = info.project.name;
  const provider = `Link-${p}`;
  const host = `link-${p}`;
  await signIn(page, info);
  await addPlan(page, info, provider, "Small", "2.00", "EUR");
  await addPlan(page, info, provider, "Big One", "5.00", "EUR");
  await addHost(page, info, host, provider, "Small");
  const today = new Date().toISOString().slice(0, 10);
  await changePlan(page, info, host, today, `${provider} Small (2.00 EUR/month)`);

  await page.goto("/costs/scenarios");
  await ready(page, info);
  await page.getByLabel("Scenario name").fill(`link-${p}`);
  await page.getByLabel("Copy the current cluster").selectOption("no");
  await page.getByRole("button", { name: "Create scenario" }).click();
  await expect(page).toHaveURL(/\/costs\/scenarios\/\d+$/);
  await ready(page, info);
  await page.getByLabel("Host name").fill(host);
  await page.getByLabel("Plan", { exact: true }).selectOption({ label: `${provider} Big One (5.00 EUR/month)` });
  await page.getByRole("button", { name: "Add host to scenario" }).click();
  const link = page.getByRole("link", { name: "Draft a runbook" });
  await expect(link).toHaveAttribute("href", `/runbooks/move-host-plan/start?host=${host}&plan=Big%20One`);
});

test("invoices come from a CSV file with JavaScript, and from pasted lines without", async ({ page }, info) => {
  const p = info.project.name;
  const month = new Date().toISOString().slice(0, 7);
  const number = `FILE-${p}-1`;
  const line = `${month},Scaleway,${number},4.00,EUR\n`;
  await signIn(page, info);
  await page.goto("/costs");
  await ready(page, info);
  if (jsOn(info)) {
    await page.getByLabel("CSV file").setInputFiles({ name: "invoices.csv", mimeType: "text/csv", buffer: Buffer.from(line) });
    await expect(page.getByLabel("CSV lines")).toHaveValue(line);
  } else {
    // Without JavaScript the picker would do nothing: it is not offered.
    await expect(page.getByLabel("CSV file")).toBeHidden();
    await page.getByLabel("CSV lines").fill(line);
  }
  await page.getByRole("button", { name: "Import invoices" }).click();
  await expect(page.getByRole("cell", { name: number, exact: true })).toBeVisible();
});
