import { isActivation } from "./activations.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth.js";
import { Network } from "./network.js";
import { describeValue, oneLine } from "./quote.js";
import { checkRegularizerSpec } from "./regularizers.js";

/**
 * The model file format: versioned so that older readers refuse what they cannot read. Version 2
 * is a file whose config holds settings version 1 did not have (regularizer specs, label
 * smoothing, weight decay, a schedule); a file without them is still written as version 1.
 */
export const MODEL_FORMAT = "reglab-model";
export const MODEL_VERSION = 2;
export const MODEL_VERSIONS_READ: readonly number[] = [1, 2];
/** Layered (convolutional) networks' files, read by core/layers/model-file.ts. */
export const LAYERED_MODEL_VERSION = 3;

/** Config fields a version 1 reader does not know: with any of them in use the file is version 2. */
const V2_SETTINGS: Record<string, (v: unknown) => boolean> = {
  regularizers: (v) => Array.isArray(v) && v.length > 0,
  labelSmoothing: (v) => v !== 0,
  weightDecay: (v) => v !== 0,
  lrSchedule: (v) => v !== "none",
};

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: 1 | 2;
  /** [n_x, hidden…, K]: 1 output (a sigmoid) for two classes, K ≥ 2 (a softmax) for K classes. */
  sizes: number[];
  /** Class names by label, when the training data named them (one per class). */
  classes?: string[];
  /** The images' shape when it was trained on images: inputs to predict on must have it. */
  image?: { height: number; width: number; channels: number };
  activation: string;
  /** W_l row-major (n_l × n_{l−1}), one array per layer. */
  weights: number[][];
  biases: number[][];
  /** How it was trained (the run's config), for the record. */
  config?: Record<string, unknown>;
  /** What training reported: accuracies, costs, seconds. */
  training?: Record<string, unknown>;
}

/** Labels are bytes: at most 255 classes, so at most 255 output units. */
const MAX_OUTPUTS = 255;

/** The number of classes a model tells apart: 2 for one sigmoid output, else its K outputs. */
export function modelClassCount(net: { readonly outputs: number }): number {
  return net.outputs === 1 ? 2 : net.outputs;
}

function checkClasses(value: unknown, outputs: number): void {
  const k = outputs === 1 ? 2 : outputs;
  const ok =
    Array.isArray(value) &&
    value.length === k &&
    value.every((v) => typeof v === "string") &&
    new Set(value).size === k;
  if (!ok) {
    throw new ModelFormatError(
      `classes is ${describeValue(value)}; expected ${k} distinct names, one per class of the output layer`,
    );
  }
}

function checkImage(value: unknown, inputs: number): void {
  const v = value as Record<string, unknown> | null;
  const dims = [v?.height, v?.width, v?.channels];
  const ok =
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    dims.every((d) => Number.isInteger(d) && (d as number) >= 1) &&
    dims.reduce((a: number, d) => a * (d as number), 1) === inputs;
  if (!ok) {
    throw new ModelFormatError(
      `image is ${describeValue(value)}; expected { height, width, channels } whose product is the ${inputs} inputs`,
    );
  }
}

/** Raised for a model file that cannot be used. */
export class ModelFormatError extends Error {
  override name = "ModelFormatError";
  constructor(message: string) {
    super(oneLine(message));
  }
}

export function modelToJSON(
  net: Network,
  extra: Pick<ModelFile, "config" | "training" | "classes" | "image"> = {},
): ModelFile {
  const c = extra.config ?? {};
  const v2 = Object.entries(V2_SETTINGS).some(([k, used]) => c[k] !== undefined && used(c[k]));
  return {
    format: MODEL_FORMAT,
    version: v2 ? 2 : 1,
    sizes: [...net.sizes],
    activation: net.activation,
    weights: net.weights.map((w) => Array.from(w)),
    biases: net.biases.map((b) => Array.from(b)),
    ...extra,
  };
}

function finiteArray(value: unknown, length: number, what: string): Float64Array {
  if (!Array.isArray(value)) throw new ModelFormatError(`${what} is missing or not an array`);
  if (value.length !== length)
    throw new ModelFormatError(`${what} has ${value.length} values, expected ${length}`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = value[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ModelFormatError(`${what}[${i}] is ${describeValue(v)}, not a finite number`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * The recorded training config is optional, but what is there must make sense for the network:
 * it is read back, e.g. keepProb for MC-dropout prediction.
 */
function checkConfig(config: unknown, sizes: readonly number[], activation: string): void {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ModelFormatError("config must be an object (the run's settings)");
  }
  const c = config as Record<string, unknown>;
  const hidden = sizes.slice(1, -1);
  const hiddenLayers = hidden.length;
  // The config is used to retrain the same network (seed ensembles): it must describe this one.
  if (
    c.hidden !== undefined &&
    !(
      Array.isArray(c.hidden) &&
      c.hidden.length === hiddenLayers &&
      c.hidden.every((n, i) => n === hidden[i])
    )
  ) {
    throw new ModelFormatError(
      `config.hidden is ${describeHidden(c.hidden)} but the weights have hidden layers [${hidden.join(", ")}]`,
    );
  }
  if (c.activation !== undefined && c.activation !== activation) {
    throw new ModelFormatError(
      `config.activation is ${describeValue(c.activation)} but the model's activation is '${activation}'`,
    );
  }
  if (c.regularizers !== undefined) {
    if (!Array.isArray(c.regularizers))
      throw new ModelFormatError("config.regularizers must be a list of specs");
    for (const spec of c.regularizers) {
      try {
        checkRegularizerSpec(spec);
      } catch (e) {
        throw new ModelFormatError(`config.regularizers: ${(e as Error).message}`);
      }
    }
  }
  const keep = c.keepProb;
  if (keep === undefined) return;
  const list = typeof keep === "number" ? [keep] : keep;
  const ok =
    Array.isArray(list) &&
    list.every((p) => typeof p === "number" && p > 0 && p <= 1) &&
    (typeof keep === "number" || list.length === hiddenLayers);
  if (!ok) {
    throw new ModelFormatError(
      `config.keepProb is ${describeValue(keep)}; expected a probability in (0, 1] or one per hidden layer (${hiddenLayers})`,
    );
  }
}

/**
 * The keep probability of each hidden layer recorded in a model file's config (1 = no dropout;
 * all 1 when the file records none).
 */
function describeHidden(v: unknown): string {
  return Array.isArray(v) && v.length <= 8 && v.every((n) => typeof n === "number")
    ? `[${v.map((n) => describeValue(n)).join(", ")}]`
    : describeValue(v);
}

export function modelKeepProbs(file: Pick<ModelFile, "sizes" | "config">): number[] {
  const hidden = file.sizes.length - 2;
  const keep = file.config?.keepProb;
  if (typeof keep === "number") return new Array<number>(hidden).fill(keep);
  if (Array.isArray(keep) && keep.length === hidden) return keep.map(Number);
  return new Array<number>(hidden).fill(1);
}

/** Checks a parsed model file thoroughly and builds its network. */
export function modelFromJSON(json: unknown): Network {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new ModelFormatError("not a model file (expected a JSON object)");
  if (nestsDeeperThan(json)) {
    throw new ModelFormatError(`nests deeper than ${MAX_JSON_DEPTH} levels; not a model file`);
  }
  const f = json as Partial<ModelFile>;
  if (f.format !== MODEL_FORMAT)
    throw new ModelFormatError(`not a reglab model (format is ${describeValue(f.format)})`);
  if (!MODEL_VERSIONS_READ.includes(f.version as number)) {
    throw new ModelFormatError(
      `model format version ${describeValue(f.version)} is not supported (this reglab reads ${MODEL_VERSIONS_READ.join(" and ")}, and ${LAYERED_MODEL_VERSION} for layered networks)`,
    );
  }
  const sizes = f.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new ModelFormatError("sizes must be a list of at least two positive integers");
  }
  const outputs = sizes[sizes.length - 1];
  if (outputs > MAX_OUTPUTS) {
    throw new ModelFormatError(
      `the output layer has ${outputs} units; at most ${MAX_OUTPUTS} classes are supported`,
    );
  }
  if (f.classes !== undefined) checkClasses(f.classes, outputs);
  if (f.image !== undefined) checkImage(f.image, sizes[0]);
  if (typeof f.activation !== "string" || !isActivation(f.activation)) {
    throw new ModelFormatError(`unknown activation ${describeValue(f.activation)}`);
  }
  const L = sizes.length - 1;
  if (!Array.isArray(f.weights) || f.weights.length !== L)
    throw new ModelFormatError(`weights must list ${L} layers`);
  if (!Array.isArray(f.biases) || f.biases.length !== L)
    throw new ModelFormatError(`biases must list ${L} layers`);
  const weights: Float64Array[] = [];
  const biases: Float64Array[] = [];
  for (let l = 1; l <= L; l++) {
    weights.push(finiteArray(f.weights[l - 1], sizes[l] * sizes[l - 1], `weights[${l - 1}]`));
    biases.push(finiteArray(f.biases[l - 1], sizes[l], `biases[${l - 1}]`));
  }
  if (f.config !== undefined) checkConfig(f.config, sizes, f.activation);
  return new Network(sizes, f.activation, weights, biases);
}

/** Parses model JSON text; errors say what is wrong with it. */
export function parseModel(text: string): Network {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`not valid JSON (${oneLine((e as Error).message, 80)})`);
  }
  return modelFromJSON(json);
}
