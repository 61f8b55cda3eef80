import { describe, expect, it } from "vitest";
import { jsKernels } from "../../src/core/kernels.js";
import { LayeredNetwork, resolveLayers } from "../../src/core/layers/network.js";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { RandomState } from "../../src/core/random.js";
import {
  activationMaps,
  exampleImages,
  type FirstConv,
  filterWeights,
  firstConv,
} from "../../src/experiments/first-layer.js";
import { filterPixels, mapPixels, plotPixelGrid } from "../../src/plot/filter-grid.js";
import { chartProblems } from "../plot/chart-audit.js";

// A 4 × 4 grey image and two 2 × 2 filters: A = [[1, 0], [0, −1]] (bias 0), B = all 0.5 (bias −1).
const X = [1, 2, 0, 1, 0, 1, 3, 0, 2, 0, 1, 1, 1, 1, 0, 2];
// f × f × C_in × C_out: (row, column) of the kernel, then the filter.
const W = Float64Array.from([1, 0.5, 0, 0.5, 0, 0.5, -1, 0.5]);
const conv = (stride = 1, padding: "valid" | "same" = "valid"): FirstConv => ({
  input: { height: 4, width: 4, channels: 1 },
  filters: 2,
  size: 2,
  stride,
  padding,
  W,
  b: Float64Array.from([0, -1]),
  activation: "relu",
});
const BLUE = [5, 48, 97];
const NEUTRAL = [247, 247, 247];
const BROWN = [127, 59, 8];

describe("first-layer filters and activation maps", () => {
  it("reads each filter out of the HWC kernel", () => {
    expect([...filterWeights(conv(), 0)]).toEqual([1, 0, 0, -1]);
    expect([...filterWeights(conv(), 1)]).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it("computes the maps by hand: valid, stride 1, after ReLU", () => {
    const { maps, height, width } = activationMaps(conv(), X);
    expect([height, width]).toEqual([3, 3]);
    // A: x[i][j] − x[i+1][j+1] = [0, −1, 0; 0, 0, 2; 1, 0, −1], then ReLU.
    expect([...maps[0]]).toEqual([0, 0, 0, 0, 0, 2, 1, 0, 0]);
    // B: half the 2 × 2 sums [4, 6, 4; 3, 5, 5; 4, 2, 4] less 1.
    expect([...maps[1]]).toEqual([1, 2, 1, 0.5, 1.5, 1.5, 1, 0, 1]);
  });

  it("computes the maps by hand: stride 2, and same padding (zeros after the last row and column)", () => {
    const s2 = activationMaps(conv(2), X);
    expect([s2.height, s2.width, ...s2.maps[0], ...s2.maps[1]]).toEqual([2, 2, 0, 0, 1, 0, 1, 1, 1, 1]);
    const same = activationMaps(conv(1, "same"), X);
    expect([same.height, same.width]).toEqual([4, 4]);
    // A at (0, 3): x[0][3] − 0 = 1; at (3, 3): 2 − 0 = 2; at (3, 0): x[3][0] − 0 (padding) = 1.
    expect([same.maps[0][3], same.maps[0][15], same.maps[0][12]]).toEqual([1, 2, 1]);
    // B at (3, 3): 0.5·2 − 1 = 0; at (2, 3): 0.5·(1 + 2) − 1 = 0.5.
    expect([same.maps[1][15], same.maps[1][11]]).toEqual([0, 0.5]);
  });

  it("draws the filters on their own diverging scale with 0 neutral, RGB filters around mid-grey", () => {
    const a = filterPixels(filterWeights(conv(), 0), 2, 1);
    expect(a.scale).toBe(1);
    expect([...a.pixels.data]).toEqual([...BLUE, ...NEUTRAL, ...NEUTRAL, ...BROWN]);
    const b = filterPixels(filterWeights(conv(), 1), 2, 1);
    expect(b.scale).toBe(0.5);
    expect([...b.pixels.data]).toEqual([...BLUE, ...BLUE, ...BLUE, ...BLUE]);
    const rgb = filterPixels([0.5, -1, 0], 1, 3);
    expect([rgb.scale, ...rgb.pixels.data]).toEqual([1, 191, 0, 128]);
  });

  it("draws the maps black at 0 to white at the scale", () => {
    const { maps } = activationMaps(conv(), X);
    const p = mapPixels(maps[1], 3, 3, 2, false);
    expect(p.channels).toBe(1);
    expect([...p.data]).toEqual([128, 255, 128, 64, 191, 191, 128, 0, 128]);
    expect([...mapPixels(maps[0], 3, 3, 0, false).data]).toEqual(Array(9).fill(0));
    expect([...mapPixels([-2, 0, 2], 3, 1, 2, true).data]).toEqual([...BROWN, ...NEUTRAL, ...BLUE]);
  });

  it("agrees with the network's own first layer (RGB, stride 2, same padding)", () => {
    const input = { height: 7, width: 6, channels: 3 };
    const layers = resolveLayers(parseLayerSpecs("conv:3:3:2:same,maxpool:2,5"), input, 2);
    const net = LayeredNetwork.initialize(layers, input, new RandomState(1));
    net.biases[0].set([0.1, -0.2, 0.05]);
    const c = firstConv(net)!;
    expect([c.filters, c.size, c.stride, c.padding]).toEqual([3, 3, 2, "same"]);
    const m = 2;
    const rng = new RandomState(2);
    const xs = [0, 1].map(() => Float64Array.from(rng.randn(7 * 6 * 3)));
    const batch = new Float64Array(7 * 6 * 3 * m);
    for (let j = 0; j < m; j++) for (let f = 0; f < xs[j].length; f++) batch[f * m + j] = xs[j][f];
    const out = net.buildLayers(jsKernels, m)[0].forward(batch, m, false, rng);
    xs.forEach((x, j) => {
      const { maps, height, width } = activationMaps(c, x);
      expect([height, width]).toEqual([4, 3]);
      for (let p = 0; p < height * width; p++)
        for (let o = 0; o < 3; o++) expect(maps[o][p]).toBeCloseTo(out[(p * 3 + o) * m + j], 12);
    });
    // A dense network has no first-layer filters.
    expect(firstConv(LayeredNetwork.initialize(resolveLayers([], input, 2), input, rng))).toBeUndefined();
  });

  it("picks the first test image of each class, then the second of each", () => {
    const y = Uint8Array.from([3, 1, 1, 0, 3, 0, 2]);
    expect(exampleImages({ y }, 4)).toEqual([3, 1, 6, 0]);
    expect(exampleImages({ y }, 6)).toEqual([3, 1, 6, 0, 5, 2]);
    expect(exampleImages({ y }, 10)).toEqual([3, 1, 6, 0, 5, 2, 4]);
  });

  it("puts one <image> per cell in the grid, classed by what it holds", () => {
    const { pixels } = filterPixels([1, 0, 0, -1], 2, 1);
    const svg = plotPixelGrid(
      [
        [
          { pixels, kind: "filter", label: "1: ±1" },
          { pixels, kind: "filter", label: "2: ±1" },
        ],
      ],
      {
        title: "two filters",
        bar: { kind: "diverging", low: "−max|w|", mid: "0", high: "+max|w|", caption: "per filter" },
      },
    );
    expect(svg.match(/<image class="filter"/g)).toHaveLength(2);
    expect(svg).toMatch(/href="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    expect(svg).toContain('<g class="scale-bar">');
  });

  it("fails the chart audit when the title's counts or the caption's 0 are not what is drawn", () => {
    const { pixels } = filterPixels([1, 0, 0, -1], 2, 1);
    const cell = { pixels, kind: "filter" as const };
    const map = { pixels: mapPixels([0, 1, 2, 0], 2, 2, 2, false), kind: "map" as const };
    const input = { pixels: mapPixels([0, 1, 1, 0], 2, 2, 1, false), kind: "input" as const };
    const filters = plotPixelGrid([[cell, cell]], {
      title: "m — the 3 first-layer filters (2 × 2 × 1 weights each)",
    });
    expect(chartProblems(filters, "blue positive, brown negative, the neutral middle 0")).toEqual([
      "“m — the 3 first-layer filters (2 × 2 × 1 weights each)”: names 3 filters, draws 2",
      "“m — the 3 first-layer filters (2 × 2 × 1 weights each)”: the caption speaks of 0 on the scale, the colour bar does not mark it",
    ]);
    const title = "m — activation maps (after ReLU) of the 2 filters on 2 test images";
    const bar = { kind: "grey" as const, low: "0", high: "max", caption: "per filter (column)" };
    const short = plotPixelGrid(
      [
        [input, map, map],
        [input, map],
      ],
      { title, bar },
    );
    expect(chartProblems(short, "black at 0 to white")).toEqual([
      `“${title}”: 2 images × 2 filters, draws 2 images and 3 maps`,
    ]);
    const whole = plotPixelGrid(
      [
        [input, map, map],
        [input, map, map],
      ],
      { title, bar },
    );
    expect(chartProblems(whole, "black at 0 to white")).toEqual([]);
    expect(chartProblems(plotPixelGrid([[map]], { title: "something else" }), "")).toEqual([
      "“something else”: filter or map images under another title, or none under theirs",
    ]);
  });
});
