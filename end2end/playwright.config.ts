import { defineConfig } from "@playwright/test";

// The server is started by `cargo xtask test` (the real binary with demo data) and its address
// arrives in BASE_URL; nothing here builds or downloads anything.
export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json"]],
  outputDir: "test-results/artifacts",
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:8080",
    screenshot: "on",
    trace: "retain-on-failure",
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
});
