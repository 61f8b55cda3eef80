import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

/** Debian's Firefox ESR, which CI installs. */
export const FIREFOX = "/usr/bin/firefox-esr";

/**
 * Firefox ESR over WebDriver BiDi, its window 1280 × 800 by launch arguments: ESR 140's BiDi lacks
 * the screen-orientation command that puppeteer's setViewport sends.
 */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    userDataDir: mkdtempSync(join(tmpdir(), "reglab-firefox-")),
    defaultViewport: null,
    args: ["--width=1280", "--height=800"],
  });
}

/** A new page whose console errors and uncaught exceptions are collected in the returned list. */
export async function pageWithErrors(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return { page, errors };
}

/**
 * Polls `test` in the page from Node: puppeteer's waitForFunction builds its poller with Function(),
 * which the page's CSP (rightly) blocks in Firefox.
 */
export async function until(
  page: Page,
  test: (arg: number) => boolean,
  timeout: number,
  arg = 0,
): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(test, arg))) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${test}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
