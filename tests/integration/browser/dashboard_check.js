// Test-only: loads costwatch's dashboard in Debian's headless chromium through playwright-core,
// waits until it has rendered, and prints as JSON what the page shows (the figures a person
// reads), the console errors and failed requests, the load time, and the same after choosing
// another month and grouping. Saves a full-page screenshot.
//
//   node dashboard_check.js URL SCREENSHOT.png PREVIOUS_MONTH [TOKEN]
"use strict";

const { chromium } = require("playwright-core");

async function shown(page) {
  return page.evaluate(() => {
    const text = (selector) => document.querySelector(selector)?.textContent.trim() ?? null;
    const rows = (selector, read) => [...document.querySelectorAll(selector)].map(read);
    return {
      error: document.getElementById("error").hidden ? null : text("#error"),
      totalTitle: text("#total-title"),
      total: text("#total-amount"),
      totalExact: document.getElementById("total-amount").dataset.amount ?? null,
      totalChange: text("#total-change"),
      forecast: text("#forecast-amount"),
      groups: rows("#groups-table tbody tr", (row) => ({
        key: row.dataset.key,
        name: row.querySelector("th").textContent,
        amount: row.querySelector("td.amount").textContent,
        exact: row.dataset.amount,
      })),
      movers: rows("#movers-table tbody tr", (row) => row.dataset.key),
      bars: document.querySelectorAll("#daily-chart svg rect").length,
      dailyRows: document.querySelectorAll("#daily-table tbody tr").length,
      chartTitles: rows("#daily-chart svg > title, #mtd-chart svg > title", (t) => t.textContent),
      thresholds: document.querySelectorAll("#mtd-chart line.threshold").length,
      alarms: rows("#alarm-list li[data-rule]", (item) => ({
        rule: item.dataset.rule,
        alarm: item.dataset.alarm,
        state: item.dataset.state,
        text: item.querySelector(".state").textContent,
        history: item.querySelectorAll("ol li").length,
      })),
      alarmCount: text("#alarm-count"),
      sinks: rows("#sinks-table tbody tr", (row) => ({
        name: row.dataset.sink,
        kind: row.dataset.kind,
        outbox: row.querySelector("td.outbox").textContent,
        dead: row.querySelector("td.dead").textContent,
        delivered: row.querySelector("td.delivered").textContent,
      })),
      sources: rows("#sources-table tbody tr", (row) => row.dataset.source),
      paidMonth: text("#paid-month"),
      paidToday: text("#paid-today"),
    };
  });
}

async function rendered(page) {
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 20000 });
}

async function main() {
  const [url, screenshot, previousMonth, token] = process.argv.slice(2);
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: root ? ["--no-sandbox"] : [],
  });
  const problems = { console: [], failed: [], http: [] };
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      extraHTTPHeaders: token ? { Authorization: `Bearer ${token}` } : {},
    });
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") {
        problems.console.push(`${message.type()}: ${message.text()}`);
      }
    });
    page.on("pageerror", (error) => problems.console.push(`exception: ${error.message}`));
    page.on("requestfailed", (request) =>
      problems.failed.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.http.push(`${response.url()}: ${response.status()}`);
    });

    const started = Date.now();
    await page.goto(url, { waitUntil: "load" });
    await rendered(page);
    const loadMs = Date.now() - started;
    const first = await shown(page);
    await page.screenshot({ path: screenshot, fullPage: true });

    // A person choosing last month: the page asks for it and redraws.
    await page.evaluate(() => { document.body.dataset.loaded = "false"; });
    await page.fill("#month", previousMonth);
    await page.dispatchEvent("#month", "change");
    await rendered(page);
    const previous = await shown(page);
    const hash = await page.evaluate(() => location.hash);

    const transferred = await page.evaluate(() =>
      performance.getEntriesByType("resource").concat(performance.getEntriesByType("navigation"))
        .map((entry) => ({ name: entry.name, bytes: entry.transferSize })));
    process.stdout.write(JSON.stringify({ loadMs, first, previous, hash, problems, transferred }) + "\n");
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
