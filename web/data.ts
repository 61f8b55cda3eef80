/**
 * The data a run trains on: a built-in generator or a loaded file, plus points added by clicking,
 * minus a dev set when asked for. Pure (no DOM): the page builds it, the worker receives it.
 */
import { matrix } from "../src/core/matrix.js";
import { RandomState } from "../src/core/random.js";
import { type DataBundle, DataError, type Dataset } from "../src/data/dataset.js";
import { parseCsv } from "../src/data/formats/csv.js";
import { parseJsonData } from "../src/data/formats/json.js";
import { matToBundle, readMat } from "../src/data/formats/mat.js";
import { generateDataset } from "../src/data/generators.js";
import { trainDevSplit } from "../src/data/split.js";
import { dataView, FOOTBALL_VIEW, type View, viewContains } from "../src/plot/view.js";
import type { AddedPoint, Settings } from "./state.js";

/** What the worker trains on and the page draws. */
export interface RunData {
  readonly train: Dataset;
  readonly dev?: Dataset;
  readonly test?: Dataset;
  /** Where it came from, for the status line. */
  readonly source: string;
  /** Draw the football pitch under it. */
  readonly pitch: boolean;
}

/**
 * Reads a dropped or picked file by its extension: .csv, .json or .mat (MATLAB level 5). The
 * playground draws two classes (P(class 1) maps and boundaries); data with more is refused here
 * with a pointer to the CLI, which trains and reports K classes.
 */
export async function parseDataFile(name: string, bytes: Uint8Array): Promise<DataBundle> {
  const bundle = await parseByExtension(name, bytes);
  for (const d of [bundle.train, bundle.test, bundle.dev]) {
    if (d?.y.some((v) => v > 1)) {
      throw new DataError(
        name,
        "has more than two classes; the playground draws two (use reglab train for K classes)",
      );
    }
  }
  return bundle;
}

async function parseByExtension(name: string, bytes: Uint8Array): Promise<DataBundle> {
  const ext = name.toLowerCase().match(/\.[a-z0-9]+$/)?.[0] ?? "";
  if (ext === ".mat") return matToBundle(await readMat(bytes, name), name);
  const textOf = () => new TextDecoder("utf-8").decode(bytes);
  if (ext === ".json") return parseJsonData(textOf(), name);
  if (ext === ".csv" || ext === ".txt") return { source: name, train: parseCsv(textOf(), name) };
  throw new DataError(name, `unsupported file type '${ext || "none"}' (use .csv, .json or .mat)`);
}

/** Appends points (2 features) to a dataset. */
export function withPoints(d: Dataset, added: readonly AddedPoint[]): Dataset {
  if (added.length === 0) return d;
  if (d.X.rows !== 2) throw new DataError("added points", "points can only be added to 2-feature data");
  const m = d.X.cols;
  const k = added.length;
  const X = matrix(2, m + k);
  const y = new Uint8Array(m + k);
  X.data.set(d.X.data.subarray(0, m), 0);
  X.data.set(d.X.data.subarray(m, 2 * m), m + k);
  y.set(d.y);
  added.forEach((p, i) => {
    X.data[m + i] = p.x;
    X.data[m + k + m + i] = p.y;
    y[m + i] = p.label;
  });
  return { X, y };
}

function looksLikeFootball(b: DataBundle): boolean {
  if (b.train.X.rows !== 2 || !/football/i.test(b.source)) return false;
  const sets = [b.train, ...(b.test ? [b.test] : []), ...(b.dev ? [b.dev] : [])];
  return viewContains({ xMin: -1, xMax: 0.6, yMin: -1, yMax: 0.9 }, sets);
}

/**
 * The run's data from the settings: the generator (or `file`, when the dataset is a loaded file),
 * the added points appended to the training set, and `devFraction` of it split off as a dev set
 * (stratified, drawn from RandomState(splitSeed), as `reglab train --dev-fraction F --split-seed S`
 * does), or else the file's own dev set.
 */
export function buildRunData(s: Settings, file?: DataBundle): RunData {
  let bundle: DataBundle;
  if (s.dataset === "file") {
    if (!file) throw new DataError(s.fileName || "file", "the file is not loaded");
    bundle = file;
  } else {
    bundle = generateDataset(s.dataset, {
      n: s.points,
      noise: s.noise,
      seed: s.dataSeed,
      testFraction: s.testFraction,
    });
  }
  let train = withPoints(bundle.train, s.added);
  let dev = bundle.dev;
  if (s.devFraction > 0) {
    const split = trainDevSplit(train, s.devFraction, new RandomState(s.splitSeed));
    train = split.train;
    dev = split.dev;
  }
  const pitch = s.dataset === "football" || (s.dataset === "file" && looksLikeFootball(bundle));
  return {
    train,
    ...(dev && { dev }),
    ...(bundle.test && { test: bundle.test }),
    source: s.dataset === "file" ? bundle.source : s.dataset,
    pitch,
  };
}

/**
 * The window of the decision-boundary view: the pitch box for football data, otherwise the data's
 * range with a margin, widened to the canvas aspect (width / height) so that x and y share a scale.
 */
export function viewFor(data: RunData, aspect: number): View {
  const sets = [data.train, ...(data.dev ? [data.dev] : []), ...(data.test ? [data.test] : [])];
  if (data.pitch && viewContains(FOOTBALL_VIEW, sets)) return FOOTBALL_VIEW;
  const v = data.pitch
    ? expand(dataView(sets, 0.06), FOOTBALL_VIEW)
    : dataView(
        sets.filter((d) => d.X.rows === 2),
        0.08,
      );
  const w = v.xMax - v.xMin;
  const h = v.yMax - v.yMin;
  if (data.pitch) return v;
  if (w / h < aspect) {
    const cx = (v.xMin + v.xMax) / 2;
    const half = (h * aspect) / 2;
    return { xMin: cx - half, xMax: cx + half, yMin: v.yMin, yMax: v.yMax };
  }
  const cy = (v.yMin + v.yMax) / 2;
  const half = w / aspect / 2;
  return { xMin: v.xMin, xMax: v.xMax, yMin: cy - half, yMax: cy + half };
}

/**
 * Width / height of a canvas showing `view` with the football pitch at its true 105 × 68
 * proportions (the pitch is attached to FOOTBALL_VIEW, whatever part of the plane is shown).
 */
export function pitchAspect(view: View): number {
  const box = FOOTBALL_VIEW;
  const w = ((view.xMax - view.xMin) / (box.xMax - box.xMin)) * 105;
  const h = ((view.yMax - view.yMin) / (box.yMax - box.yMin)) * 68;
  return w / h;
}

function expand(a: View, b: View): View {
  return {
    xMin: Math.min(a.xMin, b.xMin),
    xMax: Math.max(a.xMax, b.xMax),
    yMin: Math.min(a.yMin, b.yMin),
    yMax: Math.max(a.yMax, b.yMax),
  };
}
