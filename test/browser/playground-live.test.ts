/**
 * The playground as a user keeps it open: training goes on until paused, Play continues, settings
 * turned while it trains apply live (and the page says which ones start over), the controls sit
 * beside the plot at laptop sizes and on a phone, compare mode's layout, exports with axes, and
 * axe at desktop and phone widths. Chromium; skips without it or the built app.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../scripts/chromium.mjs";
import { type StaticServer, startStaticServer } from "../../src/node/static-server.js";
import { REPO_ROOT } from "../support/paths.js";
import {
  browserSkipReason,
  costsOf,
  download,
  openApp,
  WEB_DIST,
  waitForIteration,
  waitForState,
} from "./playground-helpers.js";

const skip = browserSkipReason();
const suite = skip ? describe.skip : describe;
const title = skip
  ? `the playground kept open, in Chromium — skipped: ${skip}`
  : "the playground kept open, in Chromium";

const iteration = (page: Page) => page.evaluate(() => Number(document.body.dataset.iteration));

/** Sets a number field as a user does: type, then leave it (the change event). */
async function fill(page: Page, selector: string, value: string) {
  await page.fill(selector, value);
  await page.dispatchEvent(selector, "change");
}

/** The element's box against the viewport. */
async function box(page: Page, selector: string) {
  return page.$eval(selector, (e) => {
    const r = (e as unknown as PageElement).getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, h: innerHeight, w: innerWidth };
  });
}

async function inView(page: Page, selector: string): Promise<boolean> {
  const b = await box(page, selector);
  return b.top >= 0 && b.bottom <= b.h + 0.5 && b.left >= 0 && b.right <= b.w + 0.5 && b.bottom > b.top;
}

const AXE = readFileSync(join(REPO_ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

/** axe-core's violations on the page as it stands, "rule: nodes". */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as a script tag: the page's CSP (rightly) refuses inline scripts.
  await page.evaluate(AXE);
  return page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))",
  );
}

/** What the user turns while watching: they must all be on screen with the boundary. */
const WATCHED = [
  "#play",
  "#dataset",
  'input[type=number][data-setting="lambda"]',
  "#keep-all",
  'input[data-setting="earlyStopping"]',
  'input[data-setting="compare"]',
  ".boundary-canvas",
];

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

  it("trains past the old 30 000-iteration end until paused; Play goes on; λ, keepProb and the learning rate apply live; layers start over, saying so", async () => {
    // A short stop value that is not on: training must go past it.
    const { page, errors } = await openApp(context, server.url, "#iters=300&every=50");
    await page.click("#play");
    await waitForIteration(page, 900);
    expect(await page.evaluate(() => document.body.dataset.state)).toBe("playing");
    await page.click("#play");
    await waitForState(page, "paused");
    const paused = await iteration(page);
    await page.click("#play");
    await waitForIteration(page, paused + 300);
    // Went on from where it was: the history still starts at 0 and has no second start.
    const csv = costsOf((await download(page, "#export-csv")).text);
    expect(csv.iterations.filter((i) => i === 0)).toHaveLength(1);
    expect(csv.iterations[1]).toBe(50);

    // Live: λ, keepProb and the learning rate change without a restart.
    const before = await iteration(page);
    await fill(page, 'input[type=number][data-setting="lambda"]', "0.7");
    await fill(page, "#keep-all", "0.86");
    await fill(page, 'input[data-setting="learningRate"]', "0.1");
    await page.waitForFunction(() => /lambda=0\.7&keep=0\.86,0\.86/.test(location.hash));
    await waitForIteration(page, before + 300);
    expect(await page.evaluate(() => document.body.dataset.state)).toBe("playing");
    expect(await page.textContent("#notice-text")).not.toMatch(/Started over/);
    // The objective now carries the L2 term: above the plain train loss.
    await page.click("#play");
    await waitForState(page, "paused");
    const rows = (await download(page, "#export-csv")).text.trim().split("\n");
    const head = rows[0].split(",");
    const last = rows
      .slice(1)
      .map((r) => r.split(","))
      .filter((c) => c[head.indexOf("cost")] !== "" && c[head.indexOf("train_loss")] !== "")
      .at(-1)!;
    expect(Number(last[head.indexOf("cost")])).toBeGreaterThan(Number(last[head.indexOf("train_loss")]));

    // Architecture: starts over and says so.
    await page.click('button[aria-label="Add a neuron to layer 1"]');
    await page.waitForFunction(() => document.body.dataset.iteration === "0");
    expect(await page.textContent("#notice-text")).toMatch(/Started over: the layers changed/);
    // The notice can be dismissed.
    await page.click("#notice-close");
    expect(await page.isHidden("#notice")).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("L1 beside L2, noise and max-norm, from the settings table, apply live and travel in the link", async () => {
    const { page, errors } = await openApp(context, server.url, "#every=50");
    await page.click("#play");
    await waitForIteration(page, 300);
    const before = await iteration(page);
    await fill(page, "#l1-exact", "0.05");
    await fill(page, "#gaussian-noise-exact", "0.1");
    await fill(page, "#max-norm-exact", "2");
    await page.waitForFunction(() => /set=l1:0\.05;max-norm:2;gaussian-noise:0\.1/.test(location.hash));
    await waitForIteration(page, before + 300);
    expect(await page.evaluate(() => document.body.dataset.state)).toBe("playing");
    expect(await page.textContent("#notice-text")).not.toMatch(/Started over/);
    // A value out of the row's range is refused where it was typed, naming the range.
    await fill(page, "#gaussian-dropout-exact", "1");
    expect(await page.getAttribute("#gaussian-dropout-exact", "aria-invalid")).toBe("true");
    expect(await page.evaluate(() => location.hash)).not.toContain("gaussian-dropout");
    expect(await page.getAttribute("#l1-range", "title")).toBeNull();
    expect(await page.getAttribute(".slider:has(#l1-range)", "title")).toMatch(/λ₁\/m·Σ\|w\|/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("early stopping takes a dev share and gives it back when turned off; a set stop is reached and Play says so", async () => {
    const { page, errors } = await openApp(context, server.url, "#iters=200&stop=1&every=50");
    expect(await page.evaluate(() => document.body.dataset.examples)).toBe("211,0,200");
    await page.check('input[data-setting="earlyStopping"]');
    await page.waitForFunction(() => document.body.dataset.examples === "169,42,200");
    await page.uncheck('input[data-setting="earlyStopping"]');
    await page.waitForFunction(() => document.body.dataset.examples === "211,0,200");
    expect(await page.evaluate(() => location.hash)).toContain("&dev=0&");

    await page.click("#play");
    await waitForState(page, "done");
    expect(await iteration(page)).toBe(200);
    await page.click("#play");
    await page.waitForFunction(() =>
      /Stopped at 200 iterations as set/.test(document.querySelector("body")?.textContent ?? ""),
    );
    expect(await iteration(page)).toBe(200);
    // Unticking the stop lets the same run go on.
    await page.uncheck('input[data-setting="stopAt"]');
    await page.click("#play");
    await waitForIteration(page, 400);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("adds clicked points where the pointer is, without refitting the axes or restarting training", async () => {
    const { page, errors } = await openApp(context, server.url, "#data=circles&every=50");
    await page.check('input[name="add"][value="1"]');
    await page.click("#play");
    await waitForIteration(page, 500);
    // Two clicks far out at the same place: a refit after the first would move the second.
    for (let k = 0; k < 2; k++) {
      await page.click(".boundary-canvas", { position: { x: 12, y: 12 } });
      await page.waitForFunction(
        (n) =>
          (/add=([^&]*)/.exec(location.hash)?.[1] ?? "").split(";").length === n &&
          /add=-?\d/.test(location.hash),
        k + 1,
      );
    }
    const added = /add=([^&]*)/.exec(await page.evaluate(() => location.hash))![1].split(";");
    expect(added[0]).toBe(added[1]);
    await page.waitForFunction(() => document.body.dataset.examples === "282,0,120");
    // Training went on: the iteration never fell back and the history kept its start.
    const at = await iteration(page);
    expect(at).toBeGreaterThan(500);
    await waitForIteration(page, at + 200);
    const csv = costsOf((await download(page, "#export-csv")).text);
    expect(csv.iterations.filter((i) => i === 0)).toHaveLength(1);
    expect(await page.textContent("#notice-text")).not.toMatch(/Started over/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("an invalid number says what is allowed and what is still used", async () => {
    const { page } = await openApp(context, server.url, "");
    await fill(page, 'input[data-setting="learningRate"]', "-3");
    const message = await page.textContent("#learningRate-error");
    expect(message).toMatch(/Enter a number above 0\. Still using 0\.3\./);
    expect(await page.getAttribute('input[data-setting="learningRate"]', "aria-invalid")).toBe("true");
    await fill(page, 'input[data-setting="learningRate"]', "0.2");
    expect(await page.$("#learningRate-error")).toBeNull();
    await page.close();
  });

  for (const [w, h] of [
    [1280, 720],
    [1440, 900],
  ]) {
    it(`shows play, data, λ, keepProb, early stopping and compare with the boundary at ${w}×${h}, and the network in compare mode`, async () => {
      await context.pages()[0]?.setViewportSize({ width: w, height: h });
      const page = await context.newPage();
      await page.setViewportSize({ width: w, height: h });
      await page.goto(`${server.url}`);
      await page.waitForSelector("body[data-ready=true]");
      for (const sel of WATCHED) expect(await inView(page, sel), sel).toBe(true);
      expect(await axeViolations(page)).toEqual([]);

      // Compare: the accuracy table and the network are on the first screen, beside the three
      // boundaries; λ and keepProb stay live (each drives its own panel), as the note says.
      await page.check('input[data-setting="compare"]');
      await page.waitForFunction(() => [...document.querySelectorAll(".boundary-canvas")].length === 3);
      await page.waitForFunction(() => [...document.querySelectorAll("#accuracy tbody tr")].length === 3);
      expect(await inView(page, "#accuracy")).toBe(true);
      const net = await box(page, "#network");
      expect(net.top).toBeLessThan(h);
      expect(await page.isVisible("#network")).toBe(true);
      const lambda = 'input[type=number][data-setting="lambda"]';
      expect(await page.isDisabled(lambda)).toBe(false);
      expect(await page.isVisible("#compare-note")).toBe(true);
      expect(await page.textContent("#compare-note")).toMatch(
        /λ sets the L2 panel, keepProb the dropout panel/,
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it("keeps the plot on screen while the settings scroll on a 390×844 phone", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}`);
    await page.waitForSelector("body[data-ready=true]");
    for (const sel of [
      'input[type=number][data-setting="lambda"]',
      'input[data-setting="patience"]',
      "#pick-file",
    ]) {
      await page.$eval(sel, (e) =>
        (e as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: "end" }),
      );
      expect(await inView(page, ".boundary-canvas"), `plot with ${sel}`).toBe(true);
      expect(await inView(page, sel), sel).toBe(true);
    }
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("exports the boundary PNG as the SVG figure (title, axes, legend), and compare models to distinct names", async () => {
    const { page } = await openApp(context, server.url, "#data=moons&iters=100&stop=1");
    await page.click("#play");
    await waitForState(page, "done");
    const svg = await download(page, "#export-svg");
    expect(svg.text).toMatch(/Decision boundary, iteration 100/);
    const [, w, h] = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg.text)!;
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#export-png")]);
    expect(dl.suggestedFilename()).toBe("reglab-boundary.png");
    const png = PNG.sync.read(readFileSync((await dl.path())!));
    // The figure at twice its size, not the on-screen canvas.
    expect(png.width).toBe(Math.ceil(Number(w) * 2));
    expect(png.height).toBe(Math.ceil(Number(h) * 2));
    // The margin left of the plot holds dark tick labels (the bare canvas had none: all plot).
    let dark = 0;
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < Math.round(png.width * 0.06); x++) {
        const k = (y * png.width + x) * 4;
        if (png.data[k] < 90 && png.data[k + 1] < 90 && png.data[k + 2] < 90) dark++;
      }
    }
    expect(dark).toBeGreaterThan(50);

    await page.check('input[data-setting="compare"]');
    await page.waitForFunction(() => [...document.querySelectorAll("#export-model option")].length === 3);
    const names: string[] = [];
    for (const i of ["0", "1", "2"]) {
      await page.selectOption("#export-model", i);
      names.push((await download(page, "#export-svg")).name);
      names.push((await download(page, "#export-json")).name);
    }
    expect(new Set(names).size).toBe(6);
    expect(names).toContain("reglab-boundary-l2.svg");
    await page.close();
  });
});
