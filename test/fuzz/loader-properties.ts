/**
 * Property-based checks of every loader: whatever bytes come in, a loader returns a valid dataset
 * or model, or throws its own error type (DataError, ModelFormatError) with one printable line of
 * at most 200 characters — never another exception, never a hang. Shared by the bounded runs in
 * the suite (loaders.test.ts) and the long runs of `npm run fuzz` (FUZZ_RUNS, FUZZ_SEED).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { parsePointsCsv } from "../../src/cli/commands/predict.js";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import { ModelFormatError, modelToJSON } from "../../src/core/serialize.js";
import { type DataBundle, DataError, type Dataset, validateDataset } from "../../src/data/dataset.js";
import { parseCsv } from "../../src/data/formats/csv.js";
import { parseJsonData } from "../../src/data/formats/json.js";
import { matToBundle, readMat } from "../../src/data/formats/mat.js";
import { parseModelFile } from "../../src/node/load-model.js";
import { MAT_FIXTURES } from "../support/mat-fixtures.js";

/** Runs per property: FUZZ_RUNS when set (the long run), else `fallback` (the suite). */
export function runs(fallback: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * fast-check settings: the seed from FUZZ_SEED so a failure can be replayed, and FUZZ_SECONDS
 * (the long run's bound) as the most any one property may take: it then stops, passing, with the
 * inputs tried so far.
 */
export function settings(fallback: number): fc.Parameters<unknown> {
  const seed = Number(process.env.FUZZ_SEED);
  const seconds = Number(process.env.FUZZ_SECONDS);
  return {
    numRuns: runs(fallback),
    ...(Number.isInteger(seed) ? { seed } : {}),
    ...(seconds > 0 ? { interruptAfterTimeLimit: seconds * 1000 } : {}),
  };
}

/** Checks a property as fc.assert does; the long run (FUZZ_RUNS) prints how many inputs it tried. */
export async function fuzz<Ts>(name: string, property: fc.IRawProperty<Ts>, fallback: number): Promise<void> {
  const details = await fc.check(property, settings(fallback));
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? `${name}: a property failed`);
  if (process.env.FUZZ_RUNS !== undefined) {
    const stopped = details.interrupted ? ` (stopped at the ${process.env.FUZZ_SECONDS} s bound)` : "";
    console.log(`fuzz: ${name}: ${details.numRuns} inputs, no failure${stopped}`);
  }
}

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/data/${name}`, import.meta.url)));

// biome-ignore lint/suspicious/noControlCharactersInRegex: checking there are none
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The error a loader may throw: its own type, one printable line of at most 200 characters. */
export function expectCleanError(e: unknown, type: typeof DataError | typeof ModelFormatError): void {
  if (!(e instanceof type))
    throw new Error(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  const m = e.message;
  if (m.length > 200) throw new Error(`message of ${m.length} characters: ${m.slice(0, 80)}…`);
  if (CONTROL.test(m)) throw new Error(`message with a control character: ${JSON.stringify(m)}`);
}

function expectValidDataset(d: Dataset, features?: number): void {
  validateDataset(d, "fuzz");
  if (features !== undefined && d.X.rows !== features) throw new Error("feature counts differ");
}

function expectValidBundle(b: DataBundle): void {
  expectValidDataset(b.train);
  if (b.test) expectValidDataset(b.test, b.train.X.rows);
  if (b.dev) expectValidDataset(b.dev, b.train.X.rows);
}

// ---- Mutations of valid files: bit flips, overwritten bytes and words, cuts, insertions. ----

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "byte"; at: number; value: number }
  | { kind: "u32"; at: number; value: number; le: boolean }
  | { kind: "cut"; at: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; length: number };

const EXTREME_U32 = fc.constantFrom(0, 1, 7, 8, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("byte" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant("u32" as const),
    at: fc.nat(),
    value: fc.oneof(EXTREME_U32, fc.nat({ max: 0xffffffff })),
    le: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
);

function mutate(base: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = base.slice();
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.kind) {
      case "flip":
        if (b.length > 0) b[at] ^= 1 << m.bit;
        break;
      case "byte":
        if (b.length > 0) b[at] = m.value;
        break;
      case "u32":
        if (at + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(at, m.value, m.le);
        break;
      case "cut":
        b = b.slice(0, at);
        break;
      case "insert": {
        const out = new Uint8Array(b.length + m.bytes.length);
        out.set(b.subarray(0, at));
        out.set(m.bytes, at);
        out.set(b.subarray(at), at + m.bytes.length);
        b = out;
        break;
      }
      case "delete": {
        const end = Math.min(b.length, at + m.length);
        const out = new Uint8Array(b.length - (end - at));
        out.set(b.subarray(0, at));
        out.set(b.subarray(end), at);
        b = out;
        break;
      }
    }
  }
  return b;
}

export const mutationsOf = (bases: readonly Uint8Array[]) =>
  fc
    .tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 6 }))
    .map(([base, ms]) => mutate(base, ms));

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder("utf-8").decode(b);

// ---- MAT ----

const MAT_BASES = Object.values(MAT_FIXTURES).map((make) => make());
const MAT_HEADER = MAT_BASES[0].subarray(0, 128);

/** Any bytes, bytes after a valid header, and mutated valid MAT-files. */
export const matInputs: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc.uint8Array({ maxLength: 1024 }).map((tail) => {
    const out = new Uint8Array(128 + tail.length);
    out.set(MAT_HEADER);
    out.set(tail, 128);
    return out;
  }),
  mutationsOf(MAT_BASES),
);

export async function checkMat(bytes: Uint8Array): Promise<void> {
  let bundle: DataBundle;
  try {
    bundle = matToBundle(await readMat(bytes, "fuzz.mat"), "fuzz.mat");
  } catch (e) {
    expectCleanError(e, DataError);
    return;
  }
  expectValidBundle(bundle);
}

// ---- CSV ----

const field = fc.oneof(
  fc.double().map(String),
  fc.integer({ min: -3, max: 3 }).map(String),
  fc.constantFrom(
    "",
    "0",
    "1",
    "NaN",
    "inf",
    "-Infinity",
    "1e400",
    "-0",
    "0x10",
    '"1"',
    '"',
    " 2 ",
    "1e",
    ".",
    "x1",
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 8 }),
);
const csvRows = fc
  .tuple(
    fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 12 }),
    fc.constantFrom(",", ";", "\t"),
    fc.constantFrom("\n", "\r\n", "\r"),
  )
  .map(([rows, sep, nl]) => rows.map((r) => r.join(sep)).join(nl));

const CSV_FIXTURES = ["train.csv", "test.csv", "three-features.csv"].map(fixture);

/** Any text, CSV-shaped rows of odd fields, and mutated valid CSV files. */
export const csvInputs: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 400 }),
  csvRows,
  mutationsOf(CSV_FIXTURES).map(text),
);

export function checkCsv(input: string): void {
  let d: Dataset;
  try {
    d = parseCsv(input, "fuzz.csv");
  } catch (e) {
    expectCleanError(e, DataError);
    return;
  }
  expectValidDataset(d);
}

/** `predict --input`: positions with 2 features, optionally a label. */
export function checkPointsCsv(input: string): void {
  let rows: number[][];
  try {
    rows = parsePointsCsv(input, "fuzz-points.csv", 2).rows;
  } catch (e) {
    expectCleanError(e, DataError);
    return;
  }
  if (rows.length === 0 || rows.some((r) => r.length !== 2 || !r.every(Number.isFinite))) {
    throw new Error("positions that are not two finite numbers each");
  }
}

// ---- JSON data ----

const cell = fc.oneof(
  { weight: 4, arbitrary: fc.double() },
  { weight: 3, arbitrary: fc.constantFrom(0, 1) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const rowsOf = fc.array(fc.array(cell, { minLength: 0, maxLength: 4 }), { maxLength: 10 });
const labelsOf = fc.array(fc.oneof(fc.constantFrom(0, 1, [0], [1]), cell), { maxLength: 10 });
const dataDoc = fc.record(
  { X: rowsOf, y: labelsOf, Xtest: rowsOf, ytest: labelsOf, Xdev: rowsOf, ydev: labelsOf },
  { requiredKeys: [] },
);

/** Any text, any JSON, data-shaped documents with odd values, mutated valid files. */
export const jsonDataInputs: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.json({ maxDepth: 6 }),
  dataDoc.map((d) => JSON.stringify(d)),
  mutationsOf([fixture("data.json")]).map(text),
  fc
    .integer({ min: 60, max: 3000 })
    .map((depth) => `{"X": ${"[".repeat(depth)}${"]".repeat(depth)}, "y": [1]}`),
);

export function checkJsonData(input: string): void {
  let b: DataBundle;
  try {
    b = parseJsonData(input, "fuzz.json");
  } catch (e) {
    expectCleanError(e, DataError);
    return;
  }
  expectValidBundle(b);
}

// ---- Model JSON ----

/** A valid model file: small random sizes, weights from a seeded generator, a config. */
const validModel = fc
  .tuple(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), fc.nat(1000), fc.boolean())
  .map(([hidden, seed, withConfig]) => {
    const sizes = [hidden[0], ...hidden.slice(1), 1];
    const net = Network.initialize(sizes, new RandomState(seed));
    const config = { hidden: sizes.slice(1, -1), keepProb: 0.9, iterations: 100, learningRate: 0.3 };
    return modelToJSON(net, withConfig ? { config } : {}) as unknown as Record<string, unknown>;
  });

/** Replaces the value at a random path of `doc` (objects and arrays, any depth) with `value`. */
function replaceAt(doc: unknown, choices: readonly number[], value: unknown): unknown {
  if (choices.length === 0 || typeof doc !== "object" || doc === null) return value;
  const keys = Object.keys(doc);
  if (keys.length === 0) return value;
  const key = keys[choices[0] % keys.length];
  const copy: Record<string, unknown> = Array.isArray(doc)
    ? ([...doc] as unknown as Record<string, unknown>)
    : { ...doc };
  copy[key] = replaceAt((doc as Record<string, unknown>)[key], choices.slice(1), value);
  return copy;
}

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(1e308, -1, 0, 0.5, 1e12, 2 ** 40, "relu", "tanh", [], {}, null, [1e9, 1e9], [0], [-1]),
);

/** Any text, any JSON, valid models with one value replaced anywhere, mutated model text. */
export const modelInputs: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.json({ maxDepth: 5 }),
  fc
    .tuple(validModel, fc.array(fc.nat(), { maxLength: 5 }), oddValue)
    .map(([m, path, v]) => JSON.stringify(replaceAt(m, path, v))),
  fc
    .tuple(validModel, fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([m, ms]) => text(mutate(utf8(JSON.stringify(m)), ms))),
);

export function checkModel(input: string): void {
  let loaded: ReturnType<typeof parseModelFile>;
  try {
    loaded = parseModelFile(input, "fuzz-model.json");
  } catch (e) {
    expectCleanError(e, ModelFormatError);
    return;
  }
  const { network, keepProb } = loaded;
  for (const p of network.parameters()) {
    for (const v of p) if (!Number.isFinite(v)) throw new Error("a loaded model has a non-finite weight");
  }
  const hidden = "sizes" in network ? network.sizes.length - 2 : 0;
  if (keepProb.length !== hidden || keepProb.some((p) => !(p > 0 && p <= 1))) {
    throw new Error(`a loaded model has keepProb ${keepProb}`);
  }
}
