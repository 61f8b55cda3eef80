import { describe, expect, it } from "vitest";
import { LayeredNetwork, resolveLayers } from "../../src/core/layers/network.js";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { RandomState } from "../../src/core/random.js";
import type { DataBundle } from "../../src/data/dataset.js";
import type { ComparisonRow } from "../../src/experiments/compare.js";
import { firstLayerSection } from "../../src/experiments/report-filters.js";
import type { ReportFigure } from "../../src/experiments/report-template.js";
import { auditChart, chartProblems, reportFigures } from "../plot/chart-audit.js";

const shape = { height: 8, width: 8, channels: 3 };
const rng = new RandomState(5);
const images = (m: number) => ({
  X: { rows: 192, cols: m, data: Float64Array.from(rng.rand(192 * m)) },
  y: Uint8Array.from({ length: m }, (_, j) => j % 2),
  shape,
});

function row(layers: string, key = "cnn", activation: "tanh" | "sigmoid" = "tanh"): ComparisonRow {
  const specs = resolveLayers(parseLayerSpecs(layers), shape, 2);
  const network = LayeredNetwork.initialize(specs, shape, new RandomState(1), { activation });
  return {
    model: { key, name: `CNN ${key}`, overrides: {} },
    result: { network },
  } as unknown as ComparisonRow;
}

describe("the first-layer section on RGB images, tanh, without a test set", () => {
  const data: DataBundle = { source: "rgb", train: images(6), classes: ["non-cat", "cat"] };

  it("draws RGB filters around mid-grey and signed maps on training images, as its titles and captions say", () => {
    const figures: ReportFigure[] = [];
    const html = firstLayerSection(row("conv:3:3:2:same,maxpool:2,4"), data, figures);
    expect(figures.map((f) => f.name)).toEqual(["filters-cnn", "activations-cnn"]);
    const [filters, maps] = reportFigures(html);
    const [fa, ma] = [auditChart(filters.svg), auditChart(maps.svg)];
    expect(fa.title).toBe("CNN cnn — the 3 first-layer filters (3 × 3 × 3 weights each)");
    expect(fa.scaleBar).toEqual(["−max|w|", "+max|w|", "0", "per channel, per filter"]);
    expect(filters.caption).toMatch(/red, green and blue weights as a colour, .* mid-grey is 0/);
    expect(ma.title).toBe("CNN cnn — activation maps (after tanh) of the 3 filters on 4 training images");
    expect([ma.inputImages, ma.mapImages]).toEqual([4, 12]);
    expect(ma.scaleBar).toEqual(["−max", "+max", "0", "per filter (column)"]);
    expect(maps.caption).toMatch(
      /^Rows: 4 training images, .* each filter's 4 × 4 output after tanh, on a diverging scale/,
    );
    expect(maps.svg).toContain(">#1: non-cat</text>");
    expect(maps.svg).toContain(">#2: cat</text>");
    expect([filters, maps].flatMap((f) => chartProblems(f.svg, f.caption))).toEqual([]);
  });

  it("keeps sigmoid maps (all positive) black at 0 to white at the largest", () => {
    const figures: ReportFigure[] = [];
    const [, maps] = reportFigures(firstLayerSection(row("conv:2:3,4", "s", "sigmoid"), data, figures));
    expect(auditChart(maps.svg).scaleBar).toEqual(["0", "max", "per filter (column)"]);
    expect(maps.caption).toMatch(/output after sigmoid, black at 0 to white/);
    expect(chartProblems(maps.svg, maps.caption)).toEqual([]);
  });

  it("leaves out a network that does not start with a convolution", () => {
    const figures: ReportFigure[] = [];
    expect(firstLayerSection(row("maxpool:2,conv:3:3,4"), data, figures)).toBe("");
    expect(figures).toEqual([]);
  });
});
