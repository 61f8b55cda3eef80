import { describe, expect, it } from "vitest";
import { plotIntervals, plotWeightNorms } from "../../src/plot/index.js";
import { auditChart, chartProblems } from "./chart-audit.js";
import { parseXml } from "./xml.js";

const items = [
  { name: "no regularization", estimate: 88.7, low: 88.1, high: 89.3 },
  { name: "elastic ×4 (expand)", estimate: 91.2, low: 90.6, high: 91.7 },
  { name: "affine ×4 (expand)", estimate: 92.5, low: 92.0, high: 93.0 },
];

/** Whisker ends and dot centre of each row, in pixels. */
function rows(svg: string): Array<{ x0: number; x1: number; cx: number; y: number }> {
  return [...svg.matchAll(/<g class="interval"[^>]*>([\s\S]*?)<\/g>/g)].map((m) => {
    const w = /d="M([\d.]+) ([\d.]+)H([\d.]+)/.exec(m[1])!;
    const c = /<circle class="estimate" cx="([\d.]+)" cy="([\d.]+)"/.exec(m[1])!;
    return { x0: Number(w[1]), x1: Number(w[3]), cx: Number(c[1]), y: Number(w[2]) };
  });
}

describe("plotIntervals", () => {
  it("draws one dot and whisker per item, in order, the dot inside its whisker, on one x scale", () => {
    const svg = plotIntervals(items, {
      title: "Test accuracy",
      xLabel: "test accuracy (%)",
      reference: { value: 88.7, label: "no regularization" },
    });
    expect(parseXml(svg).root).toBe("svg");
    const r = rows(svg);
    expect(r).toHaveLength(3);
    for (const row of r) {
      expect(row.x0).toBeLessThan(row.cx);
      expect(row.cx).toBeLessThan(row.x1);
    }
    // Rows go down the page in the given order, equally spaced.
    expect(r[1].y - r[0].y).toBeCloseTo(r[2].y - r[1].y, 6);
    expect(r[0].y).toBeLessThan(r[1].y);
    // One scale: pixels per unit are the same for every row, and a higher estimate sits further right.
    const ppu = (k: number) => (r[k].x1 - r[k].x0) / (items[k].high - items[k].low);
    expect(ppu(1)).toBeCloseTo(ppu(0), 1);
    expect(ppu(2)).toBeCloseTo(ppu(0), 1);
    expect(r[2].cx).toBeGreaterThan(r[1].cx);
    // The reference line sits at the first row's dot.
    const ref = /<path class="reference" d="M([\d.]+) /.exec(svg)!;
    expect(Number(ref[1])).toBeCloseTo(r[0].cx, 1);
    const a = auditChart(svg);
    expect(a.legend).toEqual(["estimate", "interval", "no regularization"]);
    expect([a.intervals, a.references]).toEqual([3, 1]);
    expect(chartProblems(svg, "the dashed line is no regularization's")).toEqual([]);
    for (const it of items) expect(svg).toContain(`>${it.name}</text>`);
    expect(svg).toContain(">88.7</text>");
  });

  it("refuses an estimate outside its interval or a value that is not finite", () => {
    expect(() => plotIntervals([{ name: "a", estimate: 5, low: 6, high: 7 }])).toThrow(
      'item "a": needs low ≤ estimate ≤ high, all finite',
    );
    expect(() => plotIntervals([{ name: "b", estimate: Number.NaN, low: 0, high: 1 }])).toThrow("all finite");
  });
});

describe("chart audit", () => {
  const norms = (name: string, kept?: number) => ({
    name,
    iterations: [0, 100, 200],
    weightNorms: [[1], [2], [3]],
    ...(kept !== undefined && { kept }),
  });

  it("finds a title that names more models than the chart draws, and a caption's missing dashed line", () => {
    const svg = plotWeightNorms([norms("none"), norms("L2")], {
      title: "Σ‖W‖² during training — none, L2, dropout, early stopping",
    });
    expect(
      chartProblems(svg, "the dashed vertical line marks the iteration whose weights early stopping kept"),
    ).toEqual([
      "“Σ‖W‖² during training — none, L2, dropout, early stopping”: names 4 models, draws 2",
      "“Σ‖W‖² during training — none, L2, dropout, early stopping”: the caption speaks of a dashed line, the chart has none",
      "“Σ‖W‖² during training — none, L2, dropout, early stopping”: the caption speaks of a marker line, the chart has none",
    ]);
  });

  it("passes a chart that draws what it says", () => {
    const svg = plotWeightNorms([norms("none"), norms("L2"), norms("early stopping", 100)], {
      title: "Σ‖W‖² during training — none, L2, early stopping",
    });
    const a = auditChart(svg);
    expect([a.series, a.markers, a.legend]).toEqual([3, 1, ["none", "L2", "early stopping"]]);
    expect(
      chartProblems(svg, "the dashed vertical line marks the iteration whose weights early stopping kept"),
    ).toEqual([]);
  });
});
