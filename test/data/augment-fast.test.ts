// The fast paths of online augmentation (whole-batch pixel maps in WebAssembly or JavaScript, the
// paired field smoothing of elastic) against plain per-image code written here the obvious way.
import { afterEach, describe, expect, it, vi } from "vitest";
import { RandomState } from "../../src/core/random.js";
import { IMAGE_GAP, mapBytes, TABLE_BYTES } from "../../src/core/wasm/remap-module.js";
import { createKernels, kernelMemory } from "../../src/core/wasm-kernels.js";
import { kernelColumnRemap, kernelRemapDoubles, wasmColumnRemap } from "../../src/core/wasm-remap.js";
import {
  augmentColumns,
  batchTransform,
  elastic,
  expandDataset,
  PixelMaps,
  parseAugmentation,
} from "../../src/data/augment/index.js";
import type { ImageShape } from "../../src/data/dataset.js";

afterEach(() => vi.unstubAllGlobals());

type Image = (h: number, w: number, c: number) => number;

/** The image as a function of (h, w, c), 0 outside. */
function reader(x: Float64Array, s: ImageShape): Image {
  return (h, w, c) =>
    h < 0 || h >= s.height || w < 0 || w >= s.width ? 0 : x[(h * s.width + w) * s.channels + c];
}

function build(s: ImageShape, value: Image): Float64Array {
  const out = new Float64Array(s.height * s.width * s.channels);
  for (let h = 0; h < s.height; h++)
    for (let w = 0; w < s.width; w++)
      for (let c = 0; c < s.channels; c++) out[(h * s.width + w) * s.channels + c] = value(h, w, c);
  return out;
}

const mirrored = (x: Float64Array, s: ImageShape) => {
  const at = reader(x, s);
  return build(s, (h, w, c) => at(h, s.width - 1 - w, c));
};
const shifted = (x: Float64Array, s: ImageShape, dy: number, dx: number) => {
  const at = reader(x, s);
  return build(s, (h, w, c) => at(h + dy, w + dx, c));
};

/** One example through a spec of flips and crops, drawing as the transforms document. */
function referenceExample(x: Float64Array, s: ImageShape, spec: string, rng: RandomState): Float64Array {
  let y = x;
  for (const t of parseAugmentation(spec)) {
    const [name, value] = t.name.split(/[:=]/).filter((_, i) => i !== 1);
    if (name === "flip") {
      if (rng.random() < Number(value)) y = mirrored(y, s);
    } else {
      const pad = Number(value);
      const dy = rng.boundedInt(2 * pad) - pad;
      const dx = rng.boundedInt(2 * pad) - pad;
      y = shifted(y, s, dy, dx);
    }
  }
  return y;
}

/** A features × examples batch of m random images. */
const batch = (s: ImageShape, m: number, seed: number) =>
  new RandomState(seed).rand(s.height * s.width * s.channels * m);

/** The same with pixel values k/255 (at most 256 distinct: the remap keeps them as bytes). */
const pixelBatch = (s: ImageShape, m: number, seed: number) =>
  batch(s, m, seed).map((u) => Math.floor(u * 256) / 255);

function column(X: Float64Array, m: number, j: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, f) => X[f * m + j]);
}

function referenceBatch(X: Float64Array, s: ImageShape, m: number, spec: string, seed: number): Float64Array {
  const n = s.height * s.width * s.channels;
  const rng = new RandomState(seed);
  const out = new Float64Array(n * m);
  for (let j = 0; j < m; j++) {
    const y = referenceExample(column(X, m, j, n), s, spec, rng);
    for (let f = 0; f < n; f++) out[f * m + j] = y[f];
  }
  return out;
}

const SHAPES: ImageShape[] = [
  { height: 6, width: 7, channels: 3 },
  { height: 5, width: 4, channels: 1 },
];
/** Each shape with a batch of 37 random values and one of 37 pixel values (the byte path). */
const BATCHES = SHAPES.flatMap((s) => [[s, batch(s, 37, 1)] as const, [s, pixelBatch(s, 37, 1)] as const]);
const SPECS = [
  "flip",
  "flip:0.3",
  "crop:2",
  "flip,crop:3",
  "crop:2,flip",
  "crop:1,crop:2",
  "flip,flip:0.7,crop:5",
];

describe("flip and crop on a whole batch", () => {
  it.each(SPECS)(
    "%s: the trainer's hook, its `from` and augmentColumns equal the per-image reference",
    (spec) => {
      for (const [s, X] of BATCHES) {
        const m = 37;
        const n = X.length / m;
        const want = Array.from(referenceBatch(X, s, m, spec, 8));
        const hook = batchTransform(parseAugmentation(spec), s);
        const inPlace = X.slice();
        hook(inPlace, n, m, new RandomState(8));
        expect(Array.from(inPlace)).toEqual(want);
        const out = new Float64Array(X.length);
        hook.from(X, out, n, m, new RandomState(8));
        expect(Array.from(out)).toEqual(want);
        // Twice from the same source: loaded once, the same answer for the same draws.
        hook.from(X, out, n, m, new RandomState(8));
        expect(Array.from(out)).toEqual(want);
        const js = X.slice();
        augmentColumns(js, n, m, s, parseAugmentation(spec), new RandomState(8));
        expect(Array.from(js)).toEqual(want);
      }
    },
  );

  it.each(SPECS)(
    "%s: attached to the kernels, the hook writes their batch in place as the reference",
    (spec) => {
      for (const [s, X] of BATCHES) {
        const m = 37;
        const n = X.length / m;
        const want = Array.from(referenceBatch(X, s, m, spec, 8));
        const hook = batchTransform(parseAugmentation(spec), s);
        const reserve = hook.kernelDoubles(n, m);
        expect(reserve).toBe(kernelRemapDoubles(s, m));
        const k = createKernels(n * m + reserve + 1);
        const xb = k.alloc(n * m);
        hook.attach(k, n, m);
        for (let round = 0; round < 2; round++) {
          xb.fill(Number.NaN);
          hook.from(X, xb, n, m, new RandomState(8));
          expect(Array.from(xb)).toEqual(want);
        }
        xb.set(X);
        hook(xb, n, m, new RandomState(8));
        expect(Array.from(xb)).toEqual(want);
        // An array outside the kernels' memory still gets the same values (the remap's own memory).
        const out = new Float64Array(X.length);
        hook.from(X, out, n, m, new RandomState(8));
        expect(Array.from(out)).toEqual(want);
      }
    },
  );

  it("the kernels' remap writes only into their memory, and only within its area", () => {
    const s = SHAPES[0];
    const m = 9;
    const X = batch(s, m, 3);
    const n = X.length / m;
    const k = createKernels(n * m + kernelRemapDoubles(s, m));
    const at = kernelMemory(k);
    expect(at).toBeDefined();
    const xb = k.alloc(n * m);
    const remap = kernelColumnRemap(at!.memory, at!.shared, k.alloc(kernelRemapDoubles(s, m)));
    expect(remap).toBeDefined();
    expect(remap!.writes(xb)).toBe(true);
    expect(remap!.writes(new Float64Array(n * m))).toBe(false);
    expect(remap!.load(X, s, m, false)).toBe(true);
    // One example more than the area was sized for does not fit: the caller copies in JavaScript.
    expect(remap!.load(batch(s, m + 1, 3), s, m + 1, false)).toBe(false);
  });

  it("keeps a source of at most 256 distinct values as bytes, in an eighth of the room, with the same bits", () => {
    const s = SHAPES[0];
    const m = 40;
    const n = s.height * s.width * s.channels;
    // Room for the maps, the table and one byte per value (and a little), not for doubles.
    const byteRoom = Math.ceil((mapBytes(m, s.width) + TABLE_BYTES + (n + IMAGE_GAP) * m + 16) / 8);
    /** A kernels' remap with `doubles` of room, and a batch in their memory to write. */
    const remapIn = (doubles: number) => {
      const k = createKernels(n * m + doubles + 1);
      const at = kernelMemory(k)!;
      const out = k.alloc(n * m);
      return Object.assign(kernelColumnRemap(at.memory, at.shared, k.alloc(doubles))!, { out });
    };
    const maps = new PixelMaps();
    maps.reset(m, s);
    const rng = new RandomState(4);
    for (let j = 0; j < m; j++) for (const t of parseAugmentation("flip,crop:3")) t.remap!(maps, j, s, rng);
    const expectRemap = (remap: ReturnType<typeof remapIn>, X: Float64Array) => {
      const want = new Float64Array(n * m);
      maps.copy(s, m, X, m, 0, want, m, 0);
      remap.run(maps, remap.out);
      expect(remap.out.every((v, i) => Object.is(v, want[i]))).toBe(true);
    };
    // 255 distinct values and 0: 256 codes, kept as bytes (the unchanging data only).
    const codes = Float64Array.from({ length: n * m }, (_, i) => (i % 256) / 7 - 1);
    expect(new Set(codes).size).toBe(256);
    expect(remapIn(byteRoom).load(codes, s, m, false)).toBe(false);
    const small = remapIn(byteRoom);
    expect(small.load(codes, s, m, true)).toBe(true);
    expectRemap(small, codes);
    // −0 for one of the values: a code of its own (a code for 0 would lose its sign).
    const signed = codes.map((v) => (v === codes[5] ? -0 : v));
    const withSign = remapIn(byteRoom);
    expect(withSign.load(signed, s, m, true)).toBe(true);
    expectRemap(withSign, signed);
    expect(Array.from(withSign.out).some((v) => Object.is(v, -0))).toBe(true);
    // One value more, and only doubles will do.
    const tooMany = codes.map((v, i) => (i === 5 ? 99 : v));
    expect(remapIn(byteRoom).load(tooMany, s, m, true)).toBe(false);
    const large = remapIn(kernelRemapDoubles(s, m));
    expect(large.load(tooMany, s, m, true)).toBe(true);
    expectRemap(large, tooMany);
  });

  it("without WebAssembly the hook gives the same (the JavaScript copy)", () => {
    const s = SHAPES[0];
    const m = 20;
    const X = batch(s, m, 2);
    vi.stubGlobal("WebAssembly", undefined);
    const hook = batchTransform(parseAugmentation("flip,crop:2"), s);
    const out = new Float64Array(X.length);
    hook.from(X, out, X.length / m, m, new RandomState(3));
    expect(Array.from(out)).toEqual(Array.from(referenceBatch(X, s, m, "flip,crop:2", 3)));
  });

  it("expand mode's copies equal the reference, copy after copy", () => {
    const s = SHAPES[0];
    const m = 11;
    const X = batch(s, m, 4);
    const n = X.length / m;
    const d = { X: { rows: n, cols: m, data: X }, y: new Uint8Array(m), shape: s };
    const e = expandDataset(d, parseAugmentation("flip,crop:2"), 2, new RandomState(6));
    const rng = new RandomState(6);
    for (let k = 1; k <= 2; k++) {
      for (let j = 0; j < m; j++) {
        const y = referenceExample(column(X, m, j, n), s, "flip,crop:2", rng);
        expect(Array.from(column(e.X.data, 3 * m, k * m + j, n))).toEqual(Array.from(y));
      }
    }
  });

  it("maps every shift, inside and past the edges, with and without mirrors, as the reference", () => {
    const s: ImageShape = { height: 4, width: 5, channels: 2 };
    const cases: [number, number, boolean, boolean][] = [];
    for (let dy = -s.height - 1; dy <= s.height + 1; dy++)
      for (let dx = -s.width - 1; dx <= s.width + 1; dx++)
        for (const before of [false, true])
          for (const after of [false, true]) cases.push([dy, dx, before, after]);
    const m = cases.length;
    const X = batch(s, m, 5);
    const n = X.length / m;
    const maps = new PixelMaps();
    maps.reset(m, s);
    const want = new Float64Array(X.length);
    cases.forEach(([dy, dx, before, after], j) => {
      if (before) maps.mirror(j, s);
      maps.shift(j, dy, dx, s);
      if (after) maps.mirror(j, s);
      let y = column(X, m, j, n);
      if (before) y = mirrored(y, s);
      y = shifted(y, s, dy, dx);
      if (after) y = mirrored(y, s);
      for (let f = 0; f < n; f++) want[f * m + j] = y[f];
    });
    const js = new Float64Array(X.length);
    maps.copy(s, m, X, m, 0, js, m, 0);
    expect(Array.from(js)).toEqual(Array.from(want));
    const remap = wasmColumnRemap();
    expect(remap).toBeDefined();
    expect(remap!.load(X, s, m, false)).toBe(true);
    const wasm = new Float64Array(X.length);
    remap!.run(maps, wasm);
    expect(Array.from(wasm)).toEqual(Array.from(want));
  });
});

/** Elastic distortion written the obvious way: per-pixel sums, then bilinear reads. */
function referenceElastic(x: Float64Array, s: ImageShape, alpha: number, sigma: number, rng: RandomState) {
  const { height: H, width: W } = s;
  const r = Math.ceil(3 * sigma);
  const taps = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const total = taps.reduce((a, b) => a + b, 0);
  const k = taps.map((t) => t / total);
  const field = () => {
    const u = rng.rand(H * W);
    const raw = (h: number, w: number) => -1 + 2 * u[h * W + w];
    const rows = (h: number, w: number) => {
      let sum = 0;
      for (let i = -r; i <= r; i++) if (w + i >= 0 && w + i < W) sum += k[i + r] * raw(h, w + i);
      return sum;
    };
    return (h: number, w: number) => {
      let sum = 0;
      for (let i = -r; i <= r; i++) if (h + i >= 0 && h + i < H) sum += k[i + r] * rows(h + i, w);
      return sum * alpha;
    };
  };
  const dy = field();
  const dx = field();
  const at = reader(x, s);
  return build(s, (h, w, c) => {
    const py = h + dy(h, w);
    const px = w + dx(h, w);
    const y0 = Math.floor(py);
    const x0 = Math.floor(px);
    const [fy, fx] = [py - y0, px - x0];
    const top = at(y0, x0, c) * (1 - fx) + at(y0, x0 + 1, c) * fx;
    const bottom = at(y0 + 1, x0, c) * (1 - fx) + at(y0 + 1, x0 + 1, c) * fx;
    return top * (1 - fy) + bottom * fy;
  });
}

describe("elastic's paired smoothing", () => {
  it("draws in sequence from one generator as the reference does, and leaves it where the reference does", () => {
    const s: ImageShape = { height: 28, width: 28, channels: 1 };
    const x = new RandomState(4).rand(28 * 28);
    const [a, b] = [new RandomState(30), new RandomState(30)];
    const fast = elastic(34, 4);
    for (let k = 0; k < 3; k++) {
      expect(Array.from(fast.apply(x, s, a))).toEqual(Array.from(referenceElastic(x, s, 34, 4, b)));
    }
    expect(a.random()).toBe(b.random());
  });

  const CASES: [ImageShape, number, number][] = [
    [{ height: 28, width: 28, channels: 1 }, 34, 4],
    [{ height: 7, width: 5, channels: 3 }, 8, 2],
    [{ height: 3, width: 30, channels: 2 }, 5, 1.5],
  ];

  it.each(CASES)(
    "equals the per-pixel reference bit for bit on %j (WebAssembly and JavaScript)",
    (s, alpha, sigma) => {
      const x = new RandomState(9).rand(s.height * s.width * s.channels);
      const seeds = [20, 21, 22];
      const want = seeds.map((seed) =>
        Array.from(referenceElastic(x, s, alpha, sigma, new RandomState(seed))),
      );
      const fast = elastic(alpha, sigma);
      expect(seeds.map((seed) => Array.from(fast.apply(x, s, new RandomState(seed))))).toEqual(want);
      vi.stubGlobal("WebAssembly", undefined);
      const js = elastic(alpha, sigma);
      expect(seeds.map((seed) => Array.from(js.apply(x, s, new RandomState(seed))))).toEqual(want);
    },
  );

  it("distorts a batch's columns in place as the reference, column by column, in blocks of 64 and from any column", () => {
    const s: ImageShape = { height: 7, width: 5, channels: 3 };
    const n = 7 * 5 * 3;
    const [alpha, sigma] = [8, 2];
    /** The reference on columns first… of X (rows `stride` apart), drawing in column order. */
    const reference = (X: Float64Array, stride: number, first: number, count: number, seed: number) => {
      const rng = new RandomState(seed);
      const out = X.slice();
      for (let j = first; j < first + count; j++) {
        const y = referenceElastic(column(X, stride, j, n), s, alpha, sigma, rng);
        for (let f = 0; f < n; f++) out[f * stride + j] = y[f];
      }
      return Array.from(out);
    };
    // 150 columns: blocks of 64, 64 and 22, each copied in row by row.
    const X = batch(s, 150, 2);
    const all = X.slice();
    augmentColumns(all, n, 150, s, [elastic(alpha, sigma)], new RandomState(5));
    expect(Array.from(all)).toEqual(reference(X, 150, 0, 150, 5));
    // A mini-batch of 64: one block, copied whole.
    const mini = batch(s, 64, 3);
    const hooked = mini.slice();
    batchTransform([elastic(alpha, sigma)], s)(hooked, n, 64, new RandomState(6));
    expect(Array.from(hooked)).toEqual(reference(mini, 64, 0, 64, 6));
    // Expand mode: the copies' columns start past the originals.
    const d = { X: { rows: n, cols: 70, data: batch(s, 70, 4) }, y: new Uint8Array(70), shape: s };
    const e = expandDataset(d, [elastic(alpha, sigma)], 1, new RandomState(7));
    const doubled = new Float64Array(n * 140);
    for (let f = 0; f < n; f++)
      for (let k = 0; k < 2; k++) doubled.set(d.X.data.subarray(f * 70, (f + 1) * 70), f * 140 + k * 70);
    expect(Array.from(e.X.data)).toEqual(reference(doubled, 140, 70, 70, 7));
  });
});
