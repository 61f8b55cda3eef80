/**
 * The playground in Chromium, served by reglab's own static server on a free port. Needs
 * /usr/bin/chromium and the built app (npm run build && npm run build:web); skips otherwise.
 * (Frame times are a benchmark, bench/playground-frames.mjs; the README's screenshots are made by
 * scripts/docs-figures.mjs.)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import { parseModel } from "../../src/core/serialize.js";
import { generateDataset } from "../../src/data/generators.js";
import { type StaticServer, startStaticServer } from "../../src/node/static-server.js";
import { parseSettings, serializeSettings } from "../../web/state.js";
import { CLI, FOOTBALL_MAT, HAS_FOOTBALL, NO_FOOTBALL_REASON } from "../support/paths.js";
import {
  browserSkipReason,
  canvasPixels,
  cliJson,
  costsOf,
  download,
  launch,
  openApp,
  WEB_DIST,
  waitForIteration,
  waitForState,
} from "./playground-helpers.js";

const skip = browserSkipReason();
const suite = skip ? describe.skip : describe;
const title = skip ? `the playground in Chromium — skipped: ${skip}` : "the playground in Chromium";

suite(title, () => {
  let server: StaticServer;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startStaticServer({ root: WEB_DIST });
    context = await launch();
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it("loads without console errors; play (Space) trains on WebAssembly, and the boundary and curves change", async () => {
    const { page, errors } = await openApp(context, server.url);
    expect(await page.inputValue("#dataset")).toBe("football");
    const boundary0 = await canvasPixels(page, ".boundary-canvas");
    const curves0 = await canvasPixels(page, "#curves");
    await page.keyboard.press("Space");
    await waitForState(page, "playing");
    expect(await page.getAttribute("#play", "aria-pressed")).toBe("true");
    await waitForIteration(page, 1500);
    await page.keyboard.press("Space");
    await waitForState(page, "paused");
    await page.waitForFunction(() => document.body.dataset.running === "false");
    const it1 = Number(await page.evaluate(() => document.body.dataset.iteration));
    expect(it1).toBeGreaterThanOrEqual(1500);
    expect(await canvasPixels(page, ".boundary-canvas")).not.toBe(boundary0);
    expect(await canvasPixels(page, "#curves")).not.toBe(curves0);
    // The worker trains on the WebAssembly SIMD kernels (the server's CSP allows compiling them).
    expect(await page.evaluate(() => document.body.dataset.kernels)).toBe("wasm");
    // The accuracy table shows intervals; the step button takes exactly one iteration.
    expect(await page.textContent("#accuracy")).toMatch(/Train.*Test.*%.*\[\d+\.\d, \d+\.\d\]/s);
    await page.click("#step");
    await page.waitForFunction((n) => Number(document.body.dataset.iteration) === n + 1, it1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("round-trips the URL: a reload restores every setting, and N steps give the CLI's costs to the last digit", async () => {
    const hash =
      "#data=moons&layers=16,8&act=tanh&init=he&seed=7&lr=0.02&opt=adam&batch=64&lambda=0.1&keep=0.9,0.8&iters=600&stop=1&every=50";
    const canonical = `#${serializeSettings(parseSettings(hash).settings)}`;
    const { page, errors } = await openApp(context, server.url, hash);
    const controls = async () =>
      page.evaluate(() => ({
        hash: location.hash,
        dataset: document.querySelector("#dataset")?.value,
        layers: [...document.querySelectorAll("#layers output")].map((o) => o.textContent),
        keep: [...document.querySelectorAll("#layers input")].map((i) => i.value),
        values: Object.fromEntries(
          [...document.querySelectorAll("[data-setting]")]
            .filter((f) => f.type !== "radio")
            .map((f) => [f.dataset.setting, f.type === "checkbox" ? f.checked : f.value]),
        ),
      }));
    const before = await controls();
    expect(before.hash).toBe(canonical);
    expect(before.dataset).toBe("moons");
    expect(before.layers).toEqual(["16", "8"]);
    expect(before.keep).toEqual(["0.9", "0.8"]);
    expect(before.values).toMatchObject({
      activation: "tanh",
      init: "he",
      seed: "7",
      learningRate: "0.02",
      optimizer: "adam",
      batchSize: "64",
      lambda: "0.1",
      iterations: "600",
      costEvery: "50",
    });
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    expect(await controls()).toEqual(before);

    await page.click("#play");
    await waitForState(page, "done");
    await waitForIteration(page, 600);
    const csv = await download(page, "#export-csv");
    expect(csv.name).toBe("reglab-history.csv");
    const ours = costsOf(csv.text);
    const args = (await page.textContent("#cli"))!
      .replace(/^reglab train /, "")
      .replace(/ --json$/, "")
      .split(" ");
    const cli = cliJson(["train", ...args, "--quiet"]);
    expect(cli.config).toMatchObject({
      hidden: [16, 8],
      seed: 7,
      optimizer: { name: "adam" },
      keepProb: [0.9, 0.8],
    });
    expect(ours.iterations).toEqual([...Array(12).keys()].map((k) => 50 * k));
    expect(ours.costs).toEqual(cli.costs);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("trains one run on both cores where the page is cross-origin isolated, with the bits of one thread", async () => {
    // 4 000 points and two layers of 32: products large enough to share between threads.
    const { train } = generateDataset("moons", { n: 4000, seed: 2, testFraction: 0 });
    const m = train.X.cols;
    const rows = Array.from(
      { length: m },
      (_, j) => `${train.X.data[j]},${train.X.data[m + j]},${train.y[j]}`,
    );
    const csv = join(mkdtempSync(join(tmpdir(), "reglab-threads-")), "moons4000.csv");
    writeFileSync(csv, `x1,x2,y\n${rows.join("\n")}\n`);
    const { page, errors } = await openApp(context, server.url, "#layers=32,32&iters=400&stop=1&every=50");
    expect(
      await page.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated),
    ).toBe(true);
    await page.setInputFiles("#file", csv);
    await page.waitForFunction((n) => document.body.dataset.examples?.startsWith(`${n},`), m);
    await page.keyboard.press("Space");
    await waitForState(page, "done");
    // This machine has 2 cores; helpers start once the worker yields, so by the end both are used.
    expect(await page.evaluate(() => document.body.dataset.threads)).toBe("2");
    const ours = costsOf((await download(page, "#export-csv")).text);
    const cli = cliJson([
      "train",
      "--data",
      csv,
      "--layers",
      "32,32",
      "--iterations",
      "400",
      "--cost-every",
      "50",
      "--threads",
      "1",
      "--quiet",
    ]);
    expect(ours.costs).toEqual(cli.costs);
    expect(errors).toEqual([]);
    await page.close();
  });

  const footballIt = HAS_FOOTBALL ? it : it.skip;
  const footballTitle =
    "trains on an uploaded football.mat as the CLI does, and its exported model loads in reglab predict";
  footballIt(HAS_FOOTBALL ? footballTitle : `${footballTitle} — skipped: ${NO_FOOTBALL_REASON}`, async () => {
    const { page, errors } = await openApp(context, server.url, "#iters=1000&stop=1&every=100");
    await page.setInputFiles("#file", FOOTBALL_MAT);
    await page.waitForFunction(() => document.body.dataset.examples === "211,0,200");
    expect(await page.inputValue("#dataset")).toBe("file");
    expect(await page.evaluate(() => location.hash)).toContain("data=file&");
    expect(await page.evaluate(() => location.hash)).toContain("file=football.mat");
    await page.keyboard.press("Space");
    await waitForState(page, "done");
    const ours = costsOf((await download(page, "#export-csv")).text);
    const cli = cliJson([
      "train",
      "--data",
      FOOTBALL_MAT,
      "--iterations",
      "1000",
      "--cost-every",
      "100",
      "--quiet",
    ]);
    expect(ours.costs).toEqual(cli.costs);
    expect(ours.costs[0]).toBeCloseTo(0.6557412523481002, 14); // the seed's published cost at iteration 0

    const model = await download(page, "#export-json");
    expect(model.name).toBe("reglab-model.json");
    const file = join(mkdtempSync(join(tmpdir(), "reglab-model-")), "playground.json");
    writeFileSync(file, model.text);
    const points = [
      [-0.4, 0.3],
      [0.2, -0.5],
      [0, 0],
    ];
    const out = execFileSync(
      process.execPath,
      [CLI, "predict", "--model", file, "--points", points.map((p) => p.join(",")).join(";"), "--json"],
      { encoding: "utf8" },
    );
    const predicted = JSON.parse(out).predictions.map((p: { probability: number }) => p.probability);
    const X = matrix(2, 3, Float64Array.from([-0.4, 0.2, 0, 0.3, -0.5, 0]));
    expect(predicted).toEqual(Array.from(parseModel(model.text).predictProba(X)));
    expect(predicted[0]).toBeGreaterThan(0.5); // upper left: France wins the header
    expect(predicted[1]).toBeLessThan(0.5);
    const svg = await download(page, "#export-svg");
    expect(svg.text).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const png = await download(page, "#export-png");
    expect(png.name).toBe("reglab-boundary.png");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("flags a diverged run on the page with its cause, instead of ending 'done' at chance", async () => {
    const { page, errors } = await openApp(context, server.url, "#data=football&lr=50&iters=3000");
    await page.keyboard.press("Space");
    await page.waitForFunction(
      () => (document.querySelector("#notice")?.textContent ?? "").includes("diverged"),
      undefined,
      {
        timeout: 60_000,
      },
    );
    const notice = await page.textContent("#notice");
    expect(notice).toMatch(
      /training diverged at iteration \d+: .*learning rate 50 is likely too large: try 5/,
    );
    await waitForState(page, "paused");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("adds a clicked point to the link, and compares the three models side by side", async () => {
    const { page, errors } = await openApp(context, server.url, "#data=circles&iters=300&stop=1&compare=1");
    expect(await page.locator(".boundary-canvas").count()).toBe(3);
    await page.check('input[name="add"][value="1"]');
    await page.click(".boundary-canvas >> nth=0", { position: { x: 40, y: 40 } });
    await page.waitForFunction(() => /add=-?\d/.test(location.hash));
    expect(await page.evaluate(() => document.body.dataset.examples)).toBe("281,0,120");
    await page.click("#play");
    await waitForState(page, "done");
    expect(await page.locator("#accuracy tbody tr").count()).toBe(3);
    expect(await page.textContent(".boundary figcaption >> nth=1")).toMatch(/^L2 λ = 0\.7 — train \d/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
