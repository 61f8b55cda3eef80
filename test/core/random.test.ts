import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { RandomState } from "../../src/core/random.js";

// Shared reference data lives beside the repo, at ../shared/reference/ from the repo root.
const REPO_ROOT = new URL("../../", import.meta.url);
const REFERENCE = new URL("../shared/reference/numpy-randomstate-vectors.json", REPO_ROOT);
// Our own fixture, written by scripts/fixtures/randomstate.py.
const FIXTURE = new URL("../fixtures/randomstate.json", import.meta.url);

interface Reference {
  seed3_randn_first_100: number[];
  seed3_initial_weights_2_20_3_1: Record<"W1" | "W2" | "W3", number[][]>;
  seed1_rand_first_100: number[];
  seed0_randint_0_10_first_20: number[];
  seed42_permutation_10: number[];
}

interface SeedCase {
  seed: number;
  raw_uint32_10: number[];
  rand_50: number[];
  randn_51: number[];
  interleaved: { randn_3: number[]; rand_2: number[]; randn_2: number[] };
  randint: Array<{ low: number; high: number; values: number[]; next_rand: number }>;
  shuffle_12: number[];
  permutation_17: number[];
  normal_2_3_10: number[];
  uniform_m1_2_10: number[];
}

interface Fixture {
  numpy: string;
  seeds: SeedCase[];
  seed7_randn_20000_f64le_base64: string;
}

const haveReference = existsSync(REFERENCE);

const referenceTitle = haveReference
  ? "RandomState against ../shared/reference vectors"
  : "skipped: ../shared/reference/numpy-randomstate-vectors.json is not present";

describe.skipIf(!haveReference)(referenceTitle, () => {
  const ref: Reference = haveReference ? JSON.parse(readFileSync(REFERENCE, "utf8")) : undefined!;

  it("seed 3 randn, first 100", () => {
    expect(Array.from(new RandomState(3).randn(100))).toEqual(ref.seed3_randn_first_100);
  });

  it("seed 3 initial weights for [2, 20, 3, 1]: randn(n_l, n_{l-1}) / sqrt(n_{l-1})", () => {
    const dims = [2, 20, 3, 1];
    const rs = new RandomState(3);
    for (let l = 1; l < dims.length; l++) {
      const [rows, cols] = [dims[l], dims[l - 1]];
      const w = rs.randn(rows * cols).map((v) => v / Math.sqrt(cols));
      const got = Array.from({ length: rows }, (_, i) => Array.from(w.subarray(i * cols, (i + 1) * cols)));
      expect(got).toEqual(ref.seed3_initial_weights_2_20_3_1[`W${l}` as "W1" | "W2" | "W3"]);
    }
  });

  it("seed 1 rand, seed 0 randint(0, 10), seed 42 permutation(10)", () => {
    expect(Array.from(new RandomState(1).rand(100))).toEqual(ref.seed1_rand_first_100);
    expect(Array.from(new RandomState(0).randint(0, 10, 20))).toEqual(ref.seed0_randint_0_10_first_20);
    expect(Array.from(new RandomState(42).permutation(10))).toEqual(ref.seed42_permutation_10);
  });
});

describe("RandomState against numpy fixture (scripts/fixtures/randomstate.py)", () => {
  const fx: Fixture = JSON.parse(readFileSync(FIXTURE, "utf8"));

  for (const c of fx.seeds) {
    describe(`seed ${c.seed}`, () => {
      it("raw MT19937 outputs, rand(50), randn(51)", () => {
        const raw = new RandomState(c.seed);
        expect(Array.from({ length: 10 }, () => raw.nextUint32())).toEqual(c.raw_uint32_10);
        expect(Array.from(new RandomState(c.seed).rand(50))).toEqual(c.rand_50);
        expect(Array.from(new RandomState(c.seed).randn(51))).toEqual(c.randn_51);
      });

      it("rand between randn calls leaves the cached Gaussian in place", () => {
        const rs = new RandomState(c.seed);
        expect(Array.from(rs.randn(3))).toEqual(c.interleaved.randn_3);
        expect(Array.from(rs.rand(2))).toEqual(c.interleaved.rand_2);
        expect(Array.from(rs.randn(2))).toEqual(c.interleaved.randn_2);
      });

      it("randint over several ranges consumes the same draws as numpy", () => {
        for (const r of c.randint) {
          const rs = new RandomState(c.seed);
          expect(Array.from(rs.randint(r.low, r.high, r.values.length)), `[${r.low}, ${r.high})`).toEqual(
            r.values,
          );
          // The following draw shows the number of 32-bit words consumed matches too.
          expect(rs.random(), `draw after randint [${r.low}, ${r.high})`).toBe(r.next_rand);
        }
      });

      it("shuffle, permutation, normal, uniform", () => {
        const list = Array.from({ length: 12 }, (_, i) => i);
        expect(new RandomState(c.seed).shuffle(list)).toEqual(c.shuffle_12);
        expect(Array.from(new RandomState(c.seed).permutation(17))).toEqual(c.permutation_17);
        expect(Array.from(new RandomState(c.seed).normal(2, 3, 10))).toEqual(c.normal_2_3_10);
        expect(Array.from(new RandomState(c.seed).uniform(-1, 2, 10))).toEqual(c.uniform_m1_2_10);
      });
    });
  }

  it("seed 7 randn(20 000): every value bit-identical (glibc's log, not a correctly rounded one)", () => {
    const bytes = Buffer.from(fx.seed7_randn_20000_f64le_base64, "base64");
    const expected = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const got = new RandomState(7).randn(expected.length);
    expect(expected.length).toBe(20000);
    let differ = 0;
    for (let i = 0; i < expected.length; i++) if (!Object.is(got[i], expected[i])) differ++;
    expect(differ).toBe(0);
  });

  it("randn's pairs and the cached value: odd lengths, gaussian() between, normal()", () => {
    const whole = new RandomState(7).randn(1001);
    const rs = new RandomState(7);
    const parts = [...rs.randn(3), rs.gaussian(), ...rs.randn(4), ...rs.randn(1), ...rs.randn(992)];
    expect(parts).toEqual(Array.from(whole));
    const bytes = Buffer.from(fx.seed7_randn_20000_f64le_base64, "base64");
    const expected = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 8008));
    expect(Array.from(whole)).toEqual(Array.from(expected).slice(0, 1001));
  });

  it("randn in a trainer's batch sizes, with words drawn between, is gaussian() one by one", () => {
    // randn draws its pairs in chunks from the inlined generator; gaussian() goes through random()
    // one word at a time: 100 calls cross hundreds of twists, chunk ends, and odd positions.
    const fast = new RandomState(5);
    const slow = new RandomState(5);
    const sizes = [4853, 1, 1024, 1025, 2, 3, 777];
    let differ = 0;
    let drawn = 0;
    for (let call = 0; call < 100; call++) {
      const n = sizes[call % sizes.length];
      const got = fast.randn(n);
      for (let i = 0; i < n; i++) if (!Object.is(got[i], slow.gaussian())) differ++;
      drawn += n;
      // A word or a double between, as a shuffle or a dropout mask would take.
      if (call % 3 === 0) expect(fast.nextUint32()).toBe(slow.nextUint32());
      if (call % 5 === 0) expect(fast.random()).toBe(slow.random());
    }
    expect(drawn).toBeGreaterThan(100_000);
    expect(differ).toBe(0);
    expect(fast.getState()).toEqual(slow.getState());
  });

  it("randn without WebAssembly (its JavaScript points) gives numpy's bits too", async () => {
    const scope = globalThis as { WebAssembly?: unknown };
    const api = scope.WebAssembly;
    const bytes = Buffer.from(fx.seed7_randn_20000_f64le_base64, "base64");
    const expected = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    try {
      Reflect.deleteProperty(scope, "WebAssembly");
      vi.resetModules();
      const bare = await import("../../src/core/random.js");
      const got = new bare.RandomState(7).randn(expected.length);
      expect(Array.from(got)).toEqual(Array.from(expected));
      // The same calls as the WebAssembly points make, word for word.
      const a = new bare.RandomState(5);
      const b = new RandomState(5);
      for (const n of [4853, 3, 1025, 777]) expect(Array.from(a.randn(n))).toEqual(Array.from(b.randn(n)));
      expect(a.getState()).toEqual(b.getState());
    } finally {
      scope.WebAssembly = api;
      vi.resetModules();
    }
  });
});

describe("RandomState's state, handed out and taken back", () => {
  it("continues the same stream after a round trip, and refuses what is not a state", () => {
    const a = new RandomState(12);
    const b = new RandomState(12);
    a.rand(100);
    b.rand(100);
    const key = new Int32Array(624);
    const position = a.copyStateTo(key);
    expect(position).toBe(200);
    const c = new RandomState(0);
    c.restoreState(key, position);
    expect(c.rand(1000)).toEqual(b.rand(1000));
    expect(() => c.restoreState(new Int32Array(10), 0)).toThrow(/not an MT19937 state/);
    expect(() => c.restoreState(key, 625)).toThrow(/not an MT19937 state/);
  });
});
