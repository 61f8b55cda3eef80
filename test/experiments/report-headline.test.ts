import { describe, expect, it } from "vitest";
import { generateDataset } from "../../src/data/generators.js";
import { runComparison, SEED_MODELS } from "../../src/experiments/compare.js";
import { accuracyCaption, accuracyFigure } from "../../src/experiments/report-headline.js";
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
