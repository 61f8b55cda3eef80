import { describe, expect, it } from "vitest";
import { generateDataset } from "../../src/data/generators.js";
import { runComparison, SEED_MODELS } from "../../src/experiments/compare.js";
import {
  accuracyCaption,
  accuracyCurvesCaption,
  accuracyCurvesFigure,
  accuracyFigure,
  seedAccuracyBand,
} from "../../src/experiments/report-headline.js";
import { mean, std } from "../../src/experiments/stats.js";
import { studentTQuantile } from "../../src/experiments/student-t.js";
import { auditChart, chartProblems } from "../plot/chart-audit.js";

const bundle = generateDataset("football");
const base = { iterations: 1500 };
const models = [SEED_MODELS[0], SEED_MODELS[1]];

/** Per row: whisker ends, the dot's centre and the rings' centres, in pixels. */
function rows(svg: string) {
  return [...svg.matchAll(/<g class="interval"[^>]*>([\s\S]*?)<\/g>/g)].map((m) => {
    const w = /class="whisker" d="M([\d.]+) [\d.]+H([\d.]+)/.exec(m[1])!;
    const dot = /<circle class="estimate" cx="([\d.]+)"/.exec(m[1])!;
    const rings = [...m[1].matchAll(/<circle class="sample" cx="([\d.]+)"/g)].map((c) => Number(c[1]));
    return { x0: Number(w[1]), x1: Number(w[2]), cx: Number(dot[1]), rings };
  });
}

describe("the headline accuracy chart", async () => {
  const three = await runComparison(bundle, { base, models, seeds: [3, 4, 5] });
  const one = await runComparison(bundle, { base, models });

  it("with several seeds, shows every seed as a ring and their mean with its t-interval", () => {
    const fig = accuracyFigure(three)!;
    const a = auditChart(fig.svg);
    expect(a.title).toBe("Test accuracy on the 200 test images over 3 seeds: mean, 95% interval");
    expect([a.intervals, a.samples]).toEqual([2, 6]);
    expect(a.legend).toEqual([
      "mean over 3 seeds",
      "95% t-interval of the mean",
      "one seed",
      "no regularization",
    ]);
    expect(chartProblems(fig.svg, accuracyCaption(three))).toEqual([]);
    const t = studentTQuantile(0.975, 2);
    let spread = 0;
    rows(fig.svg).forEach((r, i) => {
      const accs = three[i].seeds.map((s) => 100 * s.testAccuracy!);
      // One ring per seed, and the dot is their mean (the x scale is linear).
      expect(r.rings).toHaveLength(3);
      expect(r.cx).toBeCloseTo(mean(r.rings), 1);
      // The whisker is centred on the dot, t(0.975, 2)·sd/√3 either side, sd that of the seeds.
      expect((r.x0 + r.x1) / 2).toBeCloseTo(r.cx, 1);
      if (std(accs) > 0) {
        spread++;
        expect((r.x1 - r.x0) / 2 / std(r.rings)).toBeCloseTo(t / Math.sqrt(3), 1);
      }
    });
    // The seeds gave different accuracies somewhere, so the whisker check above ran.
    expect(spread).toBeGreaterThan(0);
    expect(accuracyCaption(three)).toContain("mean test accuracy over the 3 seeds");
  });

  it("with one seed, shows its accuracy and Wilson interval, and no rings", () => {
    const fig = accuracyFigure(one)!;
    const a = auditChart(fig.svg);
    expect(a.title).toBe("Test accuracy on the 200 test images, 95% intervals");
    expect([a.intervals, a.samples]).toEqual([2, 0]);
    expect(a.legend).toEqual(["test accuracy", "95% Wilson interval", "no regularization"]);
    expect(chartProblems(fig.svg, accuracyCaption(one))).toEqual([]);
    // A title that promises seeds the chart does not draw fails the audit.
    const claimed = fig.svg.replace("95% intervals</title>", "over 3 seeds</title>");
    expect(chartProblems(claimed, "")).toEqual([
      "“Test accuracy on the 200 test images, over 3 seeds”: 3 seeds on 2 rows, but 0 rings",
    ]);
  });
});

/** The band path's points, upper edge then lower, in pixels. */
function bandEdges(svg: string): number[][] {
  return [...svg.matchAll(/<path class="band" d="([^"]+)"/g)].map((m) =>
    [...m[1].matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((p) => Number(p[2])),
  );
}

describe("the accuracy-over-iterations chart", async () => {
  const curveBase = { iterations: 900 };
  const three = await runComparison(bundle, { base: curveBase, models, seeds: [3, 4, 5], testEvery: 300 });
  const one = await runComparison(bundle, { base: curveBase, models, testEvery: 300 });

  it("with several seeds, draws each model's mean curve with the seeds' min–max band", () => {
    // Every seed recorded its own curve, and the seeds differ.
    for (const r of three)
      for (const sd of r.seeds.slice(1))
        expect(sd.testCurve!.map((p) => p.iteration)).toEqual([0, 300, 600, 900]);
    const fig = accuracyCurvesFigure(three)!;
    const a = auditChart(fig.svg);
    expect(a.title).toBe("Test accuracy during training over 3 seeds: mean, min–max band — every model");
    expect([a.series, a.bands, a.dashedSeries]).toEqual([2, 2, 0]);
    expect(a.legend).toEqual(["no regularization", "L2, λ = 0.7"]);
    const caption = accuracyCurvesCaption(three, fig.title);
    expect(caption).toMatch(
      /over its 3 seeds: the solid line is the mean .* the shaded band runs from the lowest seed to the highest/,
    );
    expect(chartProblems(fig.svg, caption)).toEqual([]);
    // The numbers behind it: mean, min and max of the three seeds' accuracies at each iteration.
    const band = seedAccuracyBand(three[0], 3);
    expect(band.x).toEqual([300, 600, 900]);
    const curves = [three[0].testCurve!, ...three[0].seeds.slice(1).map((sd) => sd.testCurve!)];
    band.x.forEach((it, k) => {
      const accs = curves.map((c) => 100 * c.find((p) => p.iteration === it)!.accuracy);
      expect(band.mean[k]).toBeCloseTo(mean(accs), 12);
      expect(band.low[k]).toBe(Math.min(...accs));
      expect(band.high[k]).toBe(Math.max(...accs));
    });
    // The last point of each seed is its final test accuracy.
    three[0].seeds.forEach((sd, k) => {
      expect(curves[k].at(-1)!.accuracy).toBe(sd.testAccuracy);
    });
    // The seeds spread somewhere, so some band has height.
    expect(bandEdges(fig.svg).some((ys) => Math.max(...ys) - Math.min(...ys) > 1)).toBe(true);
  });

  it("takes only the iterations every seed reached (early stopping ends seeds apart)", () => {
    const row = {
      ...three[0],
      testCurve: [
        { iteration: 0, cost: 1, accuracy: 0.5 },
        { iteration: 100, cost: 1, accuracy: 0.6 },
        { iteration: 200, cost: 1, accuracy: 0.7 },
      ],
      seeds: [
        three[0].seeds[0],
        {
          ...three[0].seeds[1],
          testCurve: [
            { iteration: 0, cost: 1, accuracy: 0.5 },
            { iteration: 100, cost: 1, accuracy: 0.8 },
          ],
        },
      ],
    };
    const band = seedAccuracyBand(row, 2);
    expect(band.x).toEqual([100]);
    expect(band.mean[0]).toBeCloseTo(70, 12);
    expect([band.low[0], band.high[0]]).toEqual([60, 80]);
  });

  it("with one seed, draws plain curves and the audit refuses a title promising seeds", () => {
    const fig = accuracyCurvesFigure(one)!;
    const a = auditChart(fig.svg);
    expect(a.title).toBe("Test accuracy during training — every model");
    expect([a.series, a.bands]).toEqual([2, 0]);
    const caption = accuracyCurvesCaption(one, fig.title);
    expect(caption).not.toMatch(/seed|band/);
    expect(chartProblems(fig.svg, caption)).toEqual([]);
    const claimed = fig.svg.replace("— every model</title>", "over 3 seeds — every model</title>");
    expect(chartProblems(claimed, accuracyCurvesCaption(three, fig.title))).toEqual([
      "“Test accuracy during training over 3 seeds — every model”: 3 seeds in the title, 2 solid lines but 0 bands",
      "“Test accuracy during training over 3 seeds — every model”: the caption speaks of a shaded band, the chart has none",
    ]);
  });
});
