import { describe, expect, it } from "vitest";
import { DropoutLayer } from "../../../src/core/layers/dropout.js";
import { RandomState } from "../../../src/core/random.js";
import { context } from "./helpers.js";

const shape = { height: 6, width: 5, channels: 4 };
const n = shape.height * shape.width * shape.channels;

function run(spatial: boolean, keepProb: number, m: number, seed = 1) {
  const layer = new DropoutLayer(shape, keepProb, spatial, context(m));
  const x = new RandomState(seed).rand(n * m);
  for (let i = 0; i < x.length; i++) x[i] += 0.5; // no zeros in the input: a zero out means dropped
  const y = layer.forward(x, m, true, new RandomState(seed + 1)).slice(0, n * m);
  return { layer, x, y };
}

describe("spatial dropout (Tompson et al. 2015)", () => {
  it("drops whole feature maps of an example, keeps the others scaled by 1/keepProb", () => {
    const m = 50;
    const keep = 0.6;
    const { x, y } = run(true, keep, m);
    let dropped = 0;
    for (let c = 0; c < shape.channels; c++) {
      for (let j = 0; j < m; j++) {
        const ratios = new Set<number>();
        for (let p = 0; p < shape.height * shape.width; p++) {
          const at = (p * shape.channels + c) * m + j;
          ratios.add(y[at] === 0 ? 0 : Math.round((y[at] / x[at]) * 1e9) / 1e9);
        }
        // One decision per (map, example): every value of the map dropped, or every one scaled.
        expect(ratios.size).toBe(1);
        const [r] = ratios;
        expect(r === 0 || r === Math.round((1 / keep) * 1e9) / 1e9).toBe(true);
        if (r === 0) dropped++;
      }
    }
    // 200 maps, each dropped with probability 0.4: 80 ± 3 standard deviations (≈ 21).
    expect(dropped).toBeGreaterThan(80 - 21);
    expect(dropped).toBeLessThan(80 + 21);
  });

  it("keeps the mean: E[output] = input (inverted scaling)", () => {
    const m = 4000;
    const keep = 0.7;
    const { x, y } = run(true, keep, m, 3);
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < x.length; i++) {
      sx += x[i];
      sy += y[i];
    }
    // Maps are kept independently: the relative error of the mean has sd √((1−p)/p / (C·m)) ≈ 0.0052.
    expect(Math.abs(sy / sx - 1)).toBeLessThan(4 * Math.sqrt((1 - keep) / keep / (shape.channels * m)));
  });

  it("passes the gradient through the same maps, and nothing outside training", () => {
    const m = 8;
    const { layer, x, y } = run(true, 0.5, m);
    const dy = new Float64Array(n * m).fill(1);
    const dx = layer.backward(dy, m);
    for (let i = 0; i < n * m; i++) expect(dx[i]).toBeCloseTo(y[i] / x[i], 12);
    expect(layer.forward(x, m, false, new RandomState(0))).toBe(x);
  });
});

describe("inverted dropout layer", () => {
  it("keeps the mean and drops values one by one", () => {
    const m = 2000;
    const keep = 0.8;
    const { x, y } = run(false, keep, m, 5);
    let sx = 0;
    let sy = 0;
    let zeros = 0;
    for (let i = 0; i < x.length; i++) {
      sx += x[i];
      sy += y[i];
      if (y[i] === 0) zeros++;
    }
    expect(Math.abs(sy / sx - 1)).toBeLessThan(4 * Math.sqrt((1 - keep) / keep / (n * m)) * 1.2);
    const expected = (1 - keep) * n * m;
    expect(Math.abs(zeros - expected)).toBeLessThan(4 * Math.sqrt(expected * keep));
  });
});
