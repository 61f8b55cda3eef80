import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StaticServer, startStaticServer } from "../../src/node/static-server.js";
import { FIREFOX, launchFirefox, pageWithErrors, until } from "./firefox-helpers.js";
import { WEB_DIST } from "./playground-helpers.js";

// Debian's Firefox ESR, driven over WebDriver BiDi (puppeteer-core; no browser download).
const skip = !existsSync(FIREFOX)
  ? `no Firefox at ${FIREFOX} (CI installs firefox-esr)`
  : !existsSync(join(WEB_DIST, "index.html"))
    ? "web/dist is not built (npm run build:web)"
    : "";

describe.skipIf(skip !== "")(`the playground in Firefox${skip ? ` — skipped: ${skip}` : ""}`, () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startStaticServer({ root: WEB_DIST, port: 0 });
    browser = await launchFirefox();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("loads without errors, trains in its Web Worker, goes on after a pause and takes λ live", async () => {
    const { page, errors } = await pageWithErrors(browser);
    await page.goto(server.url, { waitUntil: "load" });
    await page.click("#play");
    await until(
      page,
      () => Number((document.querySelector("#iteration")?.textContent ?? "0").replace(/\D/g, "")) >= 2000,
      60_000,
    );
    await page.click("#play");
    const iterations = await page.evaluate(() => document.querySelector("#iteration")?.textContent ?? "");
    expect(Number(iterations.replace(/\D/g, ""))).toBeGreaterThanOrEqual(2000);
    expect(await page.evaluate(() => document.body.dataset.kernels)).toBe("wasm");

    // Play after a pause goes on from there, and λ applies live without a restart.
    const count = () => page.evaluate(() => Number(document.body.dataset.iteration));
    const paused = await count();
    await page.click("#play");
    await until(page, (n: number) => Number(document.body.dataset.iteration) >= n + 500, 60_000, paused);
    await page.evaluate(
      `(() => { const f = document.querySelector('input[type=number][data-setting="lambda"]'); f.value = "0.7"; f.dispatchEvent(new Event("change")); })()`,
    );
    await until(page, () => location.hash.includes("lambda=0.7"), 10_000);
    const live = await count();
    expect(live).toBeGreaterThan(paused);
    await until(page, (n: number) => Number(document.body.dataset.iteration) >= n + 500, 60_000, live);
    expect(await page.evaluate(() => document.querySelector("#notice-text")?.textContent ?? "")).not.toMatch(
      /Started over/,
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);
});
