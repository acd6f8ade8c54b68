// Playwright drives Debian's Chromium against the release server, once with JavaScript
// on (hydrated, live) and once with it off (plain forms). See ../Makefile `e2e`.
import { defineConfig } from "@playwright/test";

const bind = process.env.OWLERY_E2E_BIND ?? "127.0.0.1:3917";
const data = process.env.OWLERY_E2E_DATA ?? "../target/e2e/data";

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
      executablePath: "/usr/bin/chromium",
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
    command: `../target/release/owlery serve --bind ${bind} --data ${data} --site ../target/site`,
    url: `http://${bind}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
