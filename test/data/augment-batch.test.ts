import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import {
  augmentColumns,
  augmentExample,
  batchTransform,
  expandDataset,
  parseAugmentation,
} from "../../src/data/augment/index.js";
import type { ImageShape } from "../../src/data/dataset.js";

const SHAPE: ImageShape = { height: 7, width: 5, channels: 3 };
const N = 7 * 5 * 3;

/** The reference: each column taken out, augmented on its own in column order, put back. */
function columnByColumn(X: Float64Array, m: number, spec: string, seed: number): Float64Array {
  const transforms = parseAugmentation(spec);
  const rng = new RandomState(seed);
  const out = X.slice();
  for (let j = 0; j < m; j++) {
    const x = Float64Array.from({ length: N }, (_, f) => X[f * m + j]);
    const y = augmentExample(x, SHAPE, transforms, rng);
    for (let f = 0; f < N; f++) out[f * m + j] = y[f];
  }
  return out;
}

describe("batch augmentation", () => {
  // 70 columns: more than one group of columns moved out at a time, and a short last group.
  const m = 70;
  const X = new RandomState(4).rand(N * m);
  const SPECS = [
    "flip",
    "flip:0.3",
    "crop:2",
    "flip,crop:2",
    "affine",
    "elastic:alpha=8,sigma=2",
    "jitter,noise:0.1",
  ];

  it.each(SPECS)("%s on a whole batch equals it column by column, bit for bit", (spec) => {
    const batch = X.slice();
    augmentColumns(batch, N, m, SHAPE, parseAugmentation(spec), new RandomState(9));
    expect(Array.from(batch)).toEqual(Array.from(columnByColumn(X, m, spec, 9)));
  });

  it("the trainer's hook reuses its scratch and gives the same as a fresh call", () => {
    const hook = batchTransform(parseAugmentation("flip,crop:2"), SHAPE);
    const rng = new RandomState(1);
    const a = X.slice();
    hook(a, N, m, rng);
    const b = X.slice();
    hook(b, N, m, rng);
    const rng2 = new RandomState(1);
    const a2 = X.slice();
    augmentColumns(a2, N, m, SHAPE, parseAugmentation("flip,crop:2"), rng2);
    const b2 = X.slice();
    augmentColumns(b2, N, m, SHAPE, parseAugmentation("flip,crop:2"), rng2);
    expect(Array.from(a)).toEqual(Array.from(a2));
    expect(Array.from(b)).toEqual(Array.from(b2));
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it("into returns x or out and leaves apply's input alone", () => {
    for (const t of parseAugmentation("flip:1,crop:1,affine,elastic:alpha=2,sigma=1,jitter,noise:0.1")) {
      const x = X.slice(0, N);
      const out = new Float64Array(N);
      const r = t.into(x, out, SHAPE, new RandomState(2));
      expect(r === x || r === out).toBe(true);
      const y = X.slice(0, N);
      t.apply(y, SHAPE, new RandomState(2));
      expect(Array.from(y)).toEqual(Array.from(X.slice(0, N)));
    }
  });

  it("expand mode draws its copies as the column-by-column reference does", () => {
    const d = { X: { rows: N, cols: m, data: X }, y: new Uint8Array(m), shape: SHAPE };
    const e = expandDataset(d, parseAugmentation("flip,crop:2"), 2, new RandomState(5));
    const transforms = parseAugmentation("flip,crop:2");
    const rng = new RandomState(5);
    for (let k = 1; k <= 2; k++) {
      for (let j = 0; j < m; j++) {
        const x = Float64Array.from({ length: N }, (_, f) => X[f * m + j]);
        const y = augmentExample(x, SHAPE, transforms, rng);
        const col = Array.from({ length: N }, (_, f) => e.X.data[f * 3 * m + k * m + j]);
        expect(col).toEqual(Array.from(y));
      }
    }
  });
});
