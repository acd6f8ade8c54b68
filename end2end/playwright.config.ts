// Playwright drives Debian's Chromium against the Owlery server, once with JavaScript
// on (hydrated, live) and once with it off (plain forms). See the Makefile's `e2e`.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { defineConfig } from "@playwright/test";

/** Chromium from OWLERY_CHROMIUM, else the first chromium (or chromium-browser) on PATH. */
function chromium(): string {
  const override = process.env.OWLERY_CHROMIUM;
  if (override) return override;
  const names = ["chromium", "chromium-browser"];
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here: try the next one
      }
    }
  }
  throw new Error("no chromium on PATH: install Debian's chromium (.ci/bootstrap test) or set OWLERY_CHROMIUM");
}

const bind = process.env.OWLERY_E2E_BIND ?? "127.0.0.1:3917";
const data = process.env.OWLERY_E2E_DATA ?? "../target/e2e/data";
// make e2e passes the server built with the tests (target/ci/owlery).
const bin = process.env.OWLERY_E2E_BIN ?? "../target/release/owlery";

export default defineConfig({
  testDir: "./tests",
  reporter: [["list"]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  use: {
    baseURL: `http://${bind}`,
    trace: "off",
    launchOptions: {
      executablePath: chromium(),
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "js", use: { javaScriptEnabled: true } },
    { name: "no-js", use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: `${bin} serve --bind ${bind} --data ${data} --site ../target/site`,
    url: `http://${bind}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
