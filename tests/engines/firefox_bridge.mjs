// Drives Debian's Firefox ESR over WebDriver BiDi (puppeteer-core) for the engine tests
// (support_engines.py), which speak to it one JSON line at a time on stdin/stdout:
//   {"id", "op", ...}  ->  {"id", "ok": true, "value"} or {"id", "ok": false, "error"}
// Python's own Playwright cannot drive this Firefox (its Firefox is a patched build it
// downloads), so the test logic stays in Python and this file only relays commands.
//
//   node firefox_bridge.mjs <firefox executable> <download folder>

import readline from "node:readline";
import puppeteer from "puppeteer-core";

const [executablePath, downloads] = process.argv.slice(2);

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath,
  headless: true,
  protocolTimeout: 120_000,
  // Downloads land in the test's folder without asking, as a reader's "save" would.
  extraPrefsFirefox: {
    "browser.download.dir": downloads,
    "browser.download.folderList": 2,
    "browser.download.useDownloadDir": true,
    "browser.download.always_ask_before_handling_new_types": false,
    "browser.download.start_downloads_in_tmp_dir": false,
  },
});

let context = null;
let page = null; // the tab commands go to
let tabs = []; // every tab of the context, in the order opened
let problems = [];

function watch(tab) {
  tab.setDefaultTimeout(60_000);
  tab.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()} (${message.location()?.url ?? ""})`);
  });
  tab.on("pageerror", (error) => problems.push(`uncaught: ${error.message ?? error}`));
}

// A new private browsing context: its own empty storage, as a new reader has.
async function fresh() {
  if (context) await context.close();
  context = await browser.createBrowserContext();
  page = await context.newPage();
  tabs = [page];
  problems = [];
  watch(page);
}

// `fn` is the source of a JavaScript function of one argument, run in the page.
const call = (fn, arg) => `(${fn})(${JSON.stringify(arg ?? null)})`;

const ops = {
  fresh,
  version: () => browser.version(),
  goto: async ({ url }) => {
    await page.goto(url, { waitUntil: "load" });
  },
  reload: async () => {
    await page.reload({ waitUntil: "load" });
  },
  run: ({ fn, arg }) => page.evaluate(call(fn, arg)),
  wait: async ({ fn, arg, timeout }) => {
    const handle = await page.waitForFunction(call(fn, arg), { timeout, polling: 100 });
    return handle.jsonValue();
  },
  click: async ({ selector }) => {
    await page.click(selector);
  },
  choose: async ({ selector, path }) => {
    const input = await page.$(selector);
    if (!input) throw new Error(`no element ${selector}`);
    await input.uploadFile(path);
  },
  // A second tab of the same browser (the same storage), which commands then go to.
  newTab: async ({ url }) => {
    page = await context.newPage();
    tabs.push(page);
    watch(page);
    await page.goto(url, { waitUntil: "load" });
    return tabs.length - 1;
  },
  useTab: async ({ index }) => {
    page = tabs[index];
    await page.bringToFront();
  },
  closeTab: async ({ index }) => {
    const [tab] = tabs.splice(index, 1);
    await tab.close();
    page = tabs[0];
  },
  problems: () => {
    const found = problems;
    problems = [];
    return found;
  },
  close: async () => {
    await browser.close();
    process.exit(0);
  },
};

const lines = readline.createInterface({ input: process.stdin });
const reply = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
reply({ id: 0, ok: true, value: "ready" });
for await (const line of lines) {
  const request = JSON.parse(line);
  try {
    const value = await ops[request.op](request);
    reply({ id: request.id, ok: true, value: value ?? null });
  } catch (error) {
    reply({ id: request.id, ok: false, error: String(error?.stack ?? error) });
  }
}
await browser.close();
