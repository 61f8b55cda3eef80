/**
 * The 2-D page as a new user tries it (issue 24, item 5): the caption under the plot follows live
 * changes and presets; exports carry the configuration in their title; the speed control trains
 * one step per frame; compare mode keeps λ and keepProb live (each drives its own panel) and stacks
 * its plots on a phone; the restart notice reads as a sentence. Chromium; skips without it.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../scripts/chromium.mjs";
import { type StaticServer, startStaticServer } from "../../src/node/static-server.js";
import { browserSkipReason, download, openApp, WEB_DIST, waitForIteration } from "./playground-helpers.js";

const skip = browserSkipReason();
const suite = skip ? describe.skip : describe;
const title = skip
  ? `the 2-D page's caption, speed and compare mode — skipped: ${skip}`
  : "the 2-D page's caption, speed and compare mode, in Chromium";

async function fill(page: Page, selector: string, value: string) {
  await page.fill(selector, value);
  await page.dispatchEvent(selector, "change");
}

const summary = (page: Page) => page.textContent("#summary");

suite(title, () => {
  let server: StaticServer;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startStaticServer({ root: WEB_DIST });
    context = await launchChromium({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it("puts live λ, keepProb, learning rate and presets in the caption and the export title", async () => {
    const { page, errors } = await openApp(context, server.url, "#data=moons");
    expect(await summary(page)).toMatch(/λ = 0 · no dropout/);
    await page.click("#play");
    await waitForIteration(page, 200);
    await fill(page, 'input[type=number][data-setting="lambda"]', "0.7");
    await fill(page, "#keep-all", "0.86");
    await fill(page, 'input[data-setting="learningRate"]', "0.05");
    await page.waitForFunction(() =>
      /λ = 0\.7 · keepProb 0\.86 \(fresh masks\)/.test(document.querySelector("#summary")?.textContent ?? ""),
    );
    expect(await summary(page)).toMatch(/α = 0\.05 · λ = 0\.7 · keepProb 0\.86 \(fresh masks\)/);
    await page.click('[data-preset="none"]');
    await page.waitForFunction(() =>
      /λ = 0 · no dropout/.test(document.querySelector("#summary")?.textContent ?? ""),
    );
    await page.click('[data-preset="l2"]');
    await page.waitForFunction(() =>
      /λ = 0\.7 · no dropout/.test(document.querySelector("#summary")?.textContent ?? ""),
    );
    const svg = await download(page, "#export-svg");
    expect(svg.text).toMatch(
      /Decision boundary, iteration \d+ · layers 20, 3 relu · gradient descent α = 0\.05 · λ = 0\.7 · no dropout/,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it("trains one step per frame when asked, and goes back to full speed", async () => {
    const { page, errors } = await openApp(context, server.url, "#data=moons");
    await page.selectOption("#speed", "1");
    await page.click("#play");
    await waitForIteration(page, 20);
    // One step per drawn frame: the iteration grows by at most one between two frames.
    const steps = await page.evaluate(
      () =>
        new Promise<number[]>((done) => {
          const seen: number[] = [];
          const frame = () => {
            seen.push(Number(document.body.dataset.iteration));
            if (seen.length < 30) requestAnimationFrame(frame);
            else done(seen);
          };
          requestAnimationFrame(frame);
        }),
    );
    const gaps = steps.slice(1).map((v, i) => v - steps[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1);
    expect(steps.at(-1)! - steps[0]).toBeGreaterThan(0);
    expect(page.url()).toContain("&speed=1");
    await page.selectOption("#speed", "full");
    expect(page.url()).toContain("&speed=full");
    const at = Number(await page.evaluate(() => document.body.dataset.iteration));
    await waitForIteration(page, at + 2000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("loads a link with speed=10 at ten steps per frame", async () => {
    const { page, errors } = await openApp(context, server.url, "#data=moons&speed=10");
    expect(await page.inputValue("#speed")).toBe("10");
    await page.click("#play");
    await waitForIteration(page, 100);
    const steps = await page.evaluate(
      () =>
        new Promise<number[]>((done) => {
          const seen: number[] = [];
          const frame = () => {
            seen.push(Number(document.body.dataset.iteration));
            if (seen.length < 30) requestAnimationFrame(frame);
            else done(seen);
          };
          requestAnimationFrame(frame);
        }),
    );
    // Ten steps per snapshot: the counter moves in tens, at most one snapshot per frame.
    expect(steps.every((v) => v % 10 === 0)).toBe(true);
    const gaps = steps.slice(1).map((v, i) => v - steps[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10);
    expect(steps.at(-1)! - steps[0]).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("keeps λ and keepProb live in compare mode, each in its own panel, and says what restarted in words", async () => {
    const { page, errors } = await openApp(context, server.url, "#data=moons&compare=1");
    expect(await page.locator(".boundary-canvas").count()).toBe(3);
    expect(await page.isDisabled('input[type=number][data-setting="lambda"]')).toBe(false);
    await page.click("#play");
    await waitForIteration(page, 100);
    await fill(page, 'input[type=number][data-setting="lambda"]', "1.5");
    await page.waitForFunction(() =>
      /^L2 λ = 1\.5 — train/.test(
        [...document.querySelectorAll(".boundary figcaption")][1]?.textContent ?? "",
      ),
    );
    expect(await summary(page)).toMatch(/L2 λ = 1\.5 · dropout keepProb 0\.86/);
    expect(await page.textContent("#notice-text")).not.toMatch(/Started over/);
    await page.selectOption("#dataset", "circles");
    await page.fill('input[data-setting="points"]', "300");
    await page.dispatchEvent('input[data-setting="points"]', "change");
    expect(await page.textContent("#notice-text")).toMatch(/Started over: the number of points changed/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("stacks the three compare plots at full width on a 390-px phone", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}#data=moons&compare=1`);
    await page.waitForSelector("body[data-ready=true]");
    const widths = await page.$$eval(".boundary-canvas", (cs) =>
      cs.map((c) => (c as unknown as PageElement).getBoundingClientRect().width),
    );
    expect(widths).toHaveLength(3);
    for (const w of widths) expect(w).toBeGreaterThan(300);
    await page.close();
  });
});
