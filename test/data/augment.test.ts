import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import {
  affine,
  augmentColumns,
  crop,
  cropResize,
  displacementField,
  elastic,
  expandDataset,
  flip,
  flipHorizontal,
  jitter,
  noise,
  parseAugmentation,
} from "../../src/data/augment/index.js";
import type { Dataset, ImageShape } from "../../src/data/dataset.js";

const SHAPE: ImageShape = { height: 8, width: 6, channels: 3 };
const N = 8 * 6 * 3;

/** A test image whose every value is distinct and in [0, 1]. */
function image(seed = 0): Float64Array {
  return new RandomState(seed).rand(N);
}

const at = (x: Float64Array, s: ImageShape, h: number, w: number, c: number) =>
  x[(h * s.width + w) * s.channels + c];

describe("flip", () => {
  it("mirrors left to right and is its own inverse", () => {
    const x = image();
    const f = flipHorizontal(x, SHAPE);
    expect(at(f, SHAPE, 2, 0, 1)).toBe(at(x, SHAPE, 2, 5, 1));
    expect(Array.from(flipHorizontal(f, SHAPE))).toEqual(Array.from(x));
  });

  it("flips about half the images at p = 0.5 (binomial, 4 σ)", () => {
    const rng = new RandomState(1);
    const x = image();
    const t = flip(0.5);
    const n = 4000;
    let flipped = 0;
    for (let i = 0; i < n; i++) if (t.apply(x, SHAPE, rng)[0] !== x[0]) flipped++;
    expect(Math.abs(flipped - n / 2)).toBeLessThan(4 * Math.sqrt(n / 4));
  });
});

describe("crop", () => {
  it("keeps the shape, and pad 0 is the identity", () => {
    const x = image();
    expect(crop(3).apply(x, SHAPE, new RandomState(0))).toHaveLength(N);
    expect(Array.from(crop(0).apply(x, SHAPE, new RandomState(0)))).toEqual(Array.from(x));
    expect(Array.from(cropResize(1).apply(x, SHAPE, new RandomState(0)))).toEqual(Array.from(x));
    const z = cropResize(0.5).apply(x, SHAPE, new RandomState(0));
    expect(z).toHaveLength(N);
    for (const v of z) expect(v >= 0 && v <= 1).toBe(true);
  });

  it("is a shift by a uniform offset in −pad … pad (χ² over the 25 offsets)", () => {
    const pad = 2;
    const x = image();
    const rng = new RandomState(2);
    const counts = new Map<string, number>();
    const n = 2500;
    for (let i = 0; i < n; i++) {
      const y = crop(pad).apply(x, SHAPE, rng);
      // Find the offset: pixel (3, 2) of the output is source pixel (3 + dy, 2 + dx).
      let found: string | undefined;
      for (let dy = -pad; dy <= pad && !found; dy++) {
        for (let dx = -pad; dx <= pad && !found; dx++) {
          let same = true;
          for (let h = 0; h < SHAPE.height && same; h++) {
            for (let w = 0; w < SHAPE.width && same; w++) {
              const sh = h + dy;
              const sw = w + dx;
              const want =
                sh < 0 || sh >= SHAPE.height || sw < 0 || sw >= SHAPE.width ? 0 : at(x, SHAPE, sh, sw, 0);
              same = at(y, SHAPE, h, w, 0) === want;
            }
          }
          if (same) found = `${dy},${dx}`;
        }
      }
      expect(found).toBeDefined();
      counts.set(found!, (counts.get(found!) ?? 0) + 1);
    }
    expect(counts.size).toBe(25);
    const expected = n / 25;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(51.2); // χ²(24) at p = 0.001
  });
});

describe("elastic", () => {
  it("is the identity at α = 0", () => {
    const x = image();
    expect(Array.from(elastic(0, 4).apply(x, SHAPE, new RandomState(0)))).toEqual(Array.from(x));
  });

  it("draws displacements that average to ~0 and grow with α", () => {
    const shape = { height: 28, width: 28, channels: 1 };
    const rng = new RandomState(3);
    let sum = 0;
    let sumSq = 0;
    let n = 0;
    for (let k = 0; k < 200; k++) {
      const { dy, dx } = displacementField(shape, 34, 4, rng);
      for (const f of [dy, dx]) {
        for (const v of f) {
          sum += v;
          sumSq += v * v;
          n++;
        }
      }
    }
    const mean = sum / n;
    const sd = Math.sqrt(sumSq / n - mean * mean);
    // Neighbouring values are correlated (smoothing), so the standard error is that of about one
    // value per σ² pixels: generous, but a biased field (e.g. uniform(0, 1)) is off by far more.
    expect(Math.abs(mean)).toBeLessThan((4 * sd) / Math.sqrt(n / 64));
    expect(sd).toBeGreaterThan(1);
    const small = displacementField(shape, 17, 4, new RandomState(3)).dy;
    const big = displacementField(shape, 34, 4, new RandomState(3)).dy;
    for (let i = 0; i < small.length; i++) expect(big[i]).toBeCloseTo(2 * small[i], 12);
  });
});

describe("affine and jitter", () => {
  it("affine with no shift, rotation or scaling is the identity", () => {
    const x = image();
    const y = affine({ shift: 0, rotate: 0, scale: 0 }).apply(x, SHAPE, new RandomState(0));
    for (let i = 0; i < N; i++) expect(y[i]).toBeCloseTo(x[i], 12);
  });

  it("jitter stays in [0, 1] and leaves the mean unchanged on average", () => {
    const x = image();
    const rng = new RandomState(4);
    const mean = (v: Float64Array) => v.reduce((s, a) => s + a, 0) / v.length;
    let shift = 0;
    let lo = 1;
    let hi = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const y = jitter(0.1, 0.2).apply(x, SHAPE, rng);
      lo = Math.min(lo, ...y);
      hi = Math.max(hi, ...y);
      shift += mean(y) - mean(x);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    // b ~ U(−0.1, 0.1) has sd 0.058; clipping only trims a little.
    expect(Math.abs(shift / n)).toBeLessThan((4 * 0.058) / Math.sqrt(n));
  });

  it("noise adds N(0, σ²) to plain features", () => {
    const x = new Float64Array(20000).fill(0.5);
    const y = noise(0.1).apply(x, undefined, new RandomState(5));
    const d = y.map((v, i) => v - x[i]);
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
    expect(Math.abs(mean)).toBeLessThan((4 * 0.1) / Math.sqrt(d.length));
    expect(Math.abs(sd - 0.1)).toBeLessThan(0.005);
  });
});

describe("pipelines", () => {
  const m = 5;
  const data: Dataset = {
    X: matrix(N, m, new RandomState(6).rand(N * m)),
    y: Uint8Array.from([0, 1, 1, 0, 1]),
    shape: SHAPE,
  };
  const transforms = parseAugmentation("flip,crop:2,elastic:alpha=3,sigma=1");

  it("expand mode multiplies m exactly, keeps the originals first and never changes a label", () => {
    const e = expandDataset(data, transforms, 3, new RandomState(0));
    expect(e.X.cols).toBe(4 * m);
    expect(e.shape).toEqual(SHAPE);
    expect(Array.from(e.y)).toEqual([...data.y, ...data.y, ...data.y, ...data.y]);
    for (let f = 0; f < N; f++) {
      for (let j = 0; j < m; j++) expect(e.X.data[f * 4 * m + j]).toBe(data.X.data[f * m + j]);
    }
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const run = (seed: number) => {
      const X = data.X.data.slice();
      augmentColumns(X, N, m, SHAPE, transforms, new RandomState(seed));
      return Array.from(X);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    expect(Array.from(expandDataset(data, transforms, 2, new RandomState(9)).X.data)).toEqual(
      Array.from(expandDataset(data, transforms, 2, new RandomState(9)).X.data),
    );
  });

  it("refuses image transforms on plain features", () => {
    const plain: Dataset = { X: matrix(2, 2), y: Uint8Array.from([0, 1]) };
    expect(() => expandDataset(plain, parseAugmentation("flip"), 1, new RandomState(0))).toThrow(
      "flip needs images; this data has plain features (use noise:sigma=…)",
    );
    expect(expandDataset(plain, parseAugmentation("noise:0.1"), 1, new RandomState(0)).X.cols).toBe(4);
  });
});

describe("parseAugmentation", () => {
  it("reads names, first parameters and key=value items", () => {
    expect(
      parseAugmentation("flip,crop:4,elastic:alpha=34,sigma=4,affine:rotate=15").map((t) => t.name),
    ).toEqual(["flip:p=0.5", "crop:pad=4", "elastic:alpha=34,sigma=4", "affine:shift=2,rotate=15,scale=0.1"]);
  });

  it("names the bad part", () => {
    expect(() => parseAugmentation("blur")).toThrow(/unknown transform 'blur' \(choose flip, crop,/);
    expect(() => parseAugmentation("sigma=4")).toThrow("'sigma=4' comes before any transform");
    expect(() => parseAugmentation("elastic:beta=3")).toThrow(
      "elastic has no parameter 'beta' (it takes alpha, sigma)",
    );
    expect(() => parseAugmentation("crop:x")).toThrow("crop: pad must be a number, got 'x'");
    expect(() => parseAugmentation("crop:2.5")).toThrow(/crop: padding must be a whole number/);
    expect(() => parseAugmentation("flip,,crop")).toThrow("empty item in 'flip,,crop'");
  });
});
