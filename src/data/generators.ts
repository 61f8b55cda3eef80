/**
 * Built-in 2-D datasets, so every command and the playground work without files. Each generator
 * draws only from `new RandomState(seed)`: same options, same points, in Node and in the browser.
 * `n` counts all points (train + test); the test set is a stratified `testFraction` of them.
 */
import { cos, sin } from "../core/libm.js";
import { matrix } from "../core/matrix.js";
import { quote } from "../core/quote.js";
import { RandomState } from "../core/random.js";
import { type DataBundle, DataError, type Dataset } from "./dataset.js";
import { trainDevSplit } from "./split.js";

export interface GeneratorOptions {
  /** Total number of points before the train/test split (integer ≥ 4). */
  n?: number;
  /** Dataset-specific noise level (≥ 0); see each dataset's description. */
  noise?: number;
  seed?: number;
  /** Share of the points held out as the test set, in [0, 1); 0 means no test set. */
  testFraction?: number;
}

interface Defaults {
  readonly n: number;
  readonly noise: number;
  readonly seed: number;
  readonly testFraction: number;
}

/** Points as parallel arrays, label 0/1 per point. */
interface Points {
  x: Float64Array;
  y: Float64Array;
  label: Uint8Array;
}

type Draw = (n: number, noise: number, rng: RandomState) => Points;

const MAX_POINTS = 1_000_000;

function points(n: number): Points {
  return { x: new Float64Array(n), y: new Float64Array(n), label: new Uint8Array(n) };
}

/** Class 1 gets the extra point when n is odd; class 1 points come first (shuffled later). */
function classOf(i: number, n: number): number {
  return i < Math.ceil(n / 2) ? 1 : 0;
}

function checkOptions(name: string, o: Required<GeneratorOptions>): void {
  if (!Number.isInteger(o.n) || o.n < 4 || o.n > MAX_POINTS) {
    throw new DataError(
      name,
      `n (number of points) must be a whole number from 4 to ${MAX_POINTS}, got ${o.n}`,
    );
  }
  if (!(Number.isFinite(o.noise) && o.noise >= 0)) {
    throw new DataError(name, `noise must be a finite number ≥ 0, got ${o.noise}`);
  }
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) {
    throw new DataError(name, `seed must be a whole number from 0 to 4294967295, got ${o.seed}`);
  }
  if (!(o.testFraction >= 0 && o.testFraction < 1)) {
    throw new DataError(name, `testFraction must be at least 0 and less than 1, got ${o.testFraction}`);
  }
}

/** Shuffles the points into a 2 × n dataset, then holds out a stratified test set. */
function bundle(
  name: string,
  source: string,
  draw: Draw,
  defaults: Defaults,
  options: GeneratorOptions,
): DataBundle {
  const o: Required<GeneratorOptions> = { ...defaults, ...stripUndefined(options) };
  checkOptions(name, o);
  const rng = new RandomState(o.seed);
  const p = draw(o.n, o.noise, rng);
  const order = rng.permutation(o.n);
  const X = matrix(2, o.n);
  const y = new Uint8Array(o.n);
  for (let j = 0; j < o.n; j++) {
    const i = order[j];
    X.data[j] = p.x[i];
    X.data[o.n + j] = p.y[i];
    y[j] = p.label[i];
  }
  const all: Dataset = { X, y };
  if (o.testFraction === 0) return { source, train: all, synthetic: true };
  const { train, dev } = trainDevSplit(all, o.testFraction, rng);
  return { source, train, test: dev, synthetic: true };
}

function stripUndefined(options: GeneratorOptions): GeneratorOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

// Football box as in the article's football.mat; the boundary runs through the box's centre.
const FB_X0 = -0.75;
const FB_X1 = 0.4;
const FB_Y0 = -0.75;
const FB_Y1 = 0.65;
const FB_OFFSET = (FB_Y0 + FB_Y1) / 2 - (FB_X0 + FB_X1) / 2; // 0.125: the line y = x + 0.125
const FB_WAVE = 0.06;
const FB_WAVE_FREQ = 7;

/**
 * Stand-in for football.mat: uniform positions, label 1 above a wavy diagonal, with Gaussian
 * jitter of the boundary (sd = noise) and labels flipped with probability noise/2. Each point is
 * drawn for a fixed label by rejection, so both classes always have ⌈n/2⌉ and ⌊n/2⌋ points.
 */
const drawFootball: Draw = (n, noise, rng) => {
  const p = points(n);
  const flip = Math.min(0.5, noise / 2);
  for (let i = 0; i < n; i++) {
    const target = classOf(i, n);
    let x: number;
    let y: number;
    let label: number;
    do {
      x = FB_X0 + (FB_X1 - FB_X0) * rng.random();
      y = FB_Y0 + (FB_Y1 - FB_Y0) * rng.random();
      // Signed distance from the line, with a wave along it.
      const across = (y - x - FB_OFFSET) / Math.SQRT2;
      const along = (x + y) / Math.SQRT2;
      label = across - FB_WAVE * sin(FB_WAVE_FREQ * along) + noise * rng.gaussian() > 0 ? 1 : 0;
      if (rng.random() < flip) label = 1 - label;
    } while (label !== target);
    p.x[i] = x;
    p.y[i] = y;
    p.label[i] = label;
  }
  return p;
};

/** Two interleaved half circles (class 0 upper, class 1 lower), centred, Gaussian jitter sd = noise. */
const drawMoons: Draw = (n, noise, rng) => {
  const p = points(n);
  for (let i = 0; i < n; i++) {
    const c = classOf(i, n);
    const t = Math.PI * rng.random();
    const bx = c === 0 ? cos(t) : 1 - cos(t);
    const by = c === 0 ? sin(t) : 0.5 - sin(t);
    p.x[i] = bx - 0.5 + noise * rng.gaussian();
    p.y[i] = by - 0.25 + noise * rng.gaussian();
    p.label[i] = c;
  }
  return p;
};

/** Class 1 on a circle of radius 0.5 inside class 0 on radius 1, Gaussian jitter sd = noise. */
const drawCircles: Draw = (n, noise, rng) => {
  const p = points(n);
  for (let i = 0; i < n; i++) {
    const c = classOf(i, n);
    const t = 2 * Math.PI * rng.random();
    const r = c === 1 ? 0.5 : 1;
    p.x[i] = r * cos(t) + noise * rng.gaussian();
    p.y[i] = r * sin(t) + noise * rng.gaussian();
    p.label[i] = c;
  }
  return p;
};

/** Quadrants of [-1, 1]²: class 1 where x·y > 0; points kept 0.05 off the axes, then jittered. */
const drawXor: Draw = (n, noise, rng) => {
  const p = points(n);
  for (let i = 0; i < n; i++) {
    const c = classOf(i, n);
    const sx = rng.random() < 0.5 ? -1 : 1;
    const sy = c === 1 ? sx : -sx;
    p.x[i] = sx * (0.05 + 0.95 * rng.random()) + noise * rng.gaussian();
    p.y[i] = sy * (0.05 + 0.95 * rng.random()) + noise * rng.gaussian();
    p.label[i] = c;
  }
  return p;
};

const SPIRAL_TURNS = 1.5;

/** Two arms r = s, angle = 2π·1.5·s (+π for class 1), s uniform in [0, 1); jitter sd = noise. */
const drawSpiral: Draw = (n, noise, rng) => {
  const p = points(n);
  for (let i = 0; i < n; i++) {
    const c = classOf(i, n);
    const s = rng.random();
    const t = 2 * Math.PI * SPIRAL_TURNS * s + c * Math.PI;
    p.x[i] = s * cos(t) + noise * rng.gaussian();
    p.y[i] = s * sin(t) + noise * rng.gaussian();
    p.label[i] = c;
  }
  return p;
};

/** Isotropic blobs at (-0.5, -0.5) (class 0) and (0.5, 0.5) (class 1) with sd = noise. */
const drawGaussians: Draw = (n, noise, rng) => {
  const p = points(n);
  for (let i = 0; i < n; i++) {
    const c = classOf(i, n);
    const centre = c === 1 ? 0.5 : -0.5;
    p.x[i] = centre + noise * rng.gaussian();
    p.y[i] = centre + noise * rng.gaussian();
    p.label[i] = c;
  }
  return p;
};

const PETALS = 4;

/**
 * The "flower" of the Coursera planar-data exercise: per class j, t evenly spaced over
 * [3.12j, 3.12(j+1)] plus noise·randn, r = a·sin(4t) + noise·randn with a = 4, point (r sin t, r cos t).
 * Noise draws follow the course's order: all of a class's t jitter, then its r jitter.
 */
const drawFlower: Draw = (n, noise, rng) => {
  const p = points(n);
  const sizes = [Math.floor(n / 2), n - Math.floor(n / 2)];
  let start = 0;
  for (let j = 0; j < 2; j++) {
    const m = sizes[j];
    const tNoise = rng.randn(m);
    const rNoise = rng.randn(m);
    for (let k = 0; k < m; k++) {
      const base = m === 1 ? j * 3.12 : j * 3.12 + (3.12 * k) / (m - 1);
      const t = base + noise * tNoise[k];
      const r = PETALS * sin(4 * t) + noise * rNoise[k];
      p.x[start + k] = r * sin(t);
      p.y[start + k] = r * cos(t);
      p.label[start + k] = j;
    }
    start += m;
  }
  return p;
};

export type DatasetName = "football" | "moons" | "circles" | "xor" | "spiral" | "gaussians" | "flower";

export interface DatasetInfo {
  readonly description: string;
  readonly defaults: Defaults;
  readonly generate: (options?: GeneratorOptions) => DataBundle;
}

function entry(
  name: DatasetName,
  description: string,
  draw: Draw,
  defaults: Defaults,
  source: string = name,
): DatasetInfo {
  return { description, defaults, generate: (options = {}) => bundle(name, source, draw, defaults, options) };
}

// Seed 3, like the article's weights. On football it gives an unregularized [2,20,3,1] net train 0.948 /
// test 0.91 and L2 (λ = 0.7) 0.934 / 0.935 (numpy run of the article's model), close to the article.
const TWO_D = { n: 400, seed: 3, testFraction: 0.3 };

export const DATASETS: Readonly<Record<DatasetName, DatasetInfo>> = {
  football: entry(
    "football",
    "synthetic stand-in for the article's football.mat: 211 train / 200 test positions, label 1 (French player wins) above a noisy wavy diagonal; noise = boundary jitter sd, labels flipped with probability noise/2",
    drawFootball,
    { n: 411, noise: 0.06, seed: 3, testFraction: 200 / 411 },
    "football (synthetic stand-in)",
  ),
  moons: entry("moons", "two interleaved half moons; noise = jitter sd", drawMoons, { ...TWO_D, noise: 0.2 }),
  circles: entry("circles", "a small circle inside a large one; noise = jitter sd", drawCircles, {
    ...TWO_D,
    noise: 0.1,
  }),
  xor: entry("xor", "the four quadrants, label 1 where x·y > 0; noise = jitter sd", drawXor, {
    ...TWO_D,
    noise: 0.1,
  }),
  spiral: entry("spiral", "two interleaved spiral arms (1.5 turns); noise = jitter sd", drawSpiral, {
    ...TWO_D,
    noise: 0.05,
  }),
  gaussians: entry("gaussians", "two overlapping Gaussian blobs; noise = blob sd", drawGaussians, {
    ...TWO_D,
    noise: 0.4,
  }),
  flower: entry(
    "flower",
    "the Coursera planar 'flower': 4 petals, r = 4·sin(4t) + noise; noise = sd of angle and radius jitter",
    drawFlower,
    { ...TWO_D, noise: 0.2 },
  ),
};

export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

export function isDatasetName(name: string): name is DatasetName {
  return Object.hasOwn(DATASETS, name);
}

/** Generates a built-in dataset by name; unknown names get a DataError listing the choices. */
export function generateDataset(name: string, options: GeneratorOptions = {}): DataBundle {
  if (!isDatasetName(name)) {
    throw new DataError(name, `unknown dataset ${quote(name)} (choose one of: ${DATASET_NAMES.join(", ")})`);
  }
  return DATASETS[name].generate(options);
}

export const football = DATASETS.football.generate;
export const moons = DATASETS.moons.generate;
export const circles = DATASETS.circles.generate;
export const xor = DATASETS.xor.generate;
export const spiral = DATASETS.spiral.generate;
export const gaussians = DATASETS.gaussians.generate;
export const flower = DATASETS.flower.generate;
