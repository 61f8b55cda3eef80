import type { Page } from "puppeteer-core";

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
