/**
 * The regularizer registry: a spec (`{ kind: "l1", lambda: 0.01 }`) is what travels — in a run's
 * config, a queued job, a model file, a checkpoint — and the registry turns it into an object with
 * the hooks the trainer calls, as TensorFlow.js's getConfig / registerClass do.
 */

/** A regularizer's description: its kind and its settings, plain JSON. */
export interface RegularizerSpec {
  readonly kind: string;
  readonly [setting: string]: unknown;
}

/** A weight matrix's shape: `units` rows (one per unit of the layer) of `fanIn` incoming weights. */
export interface WeightShape {
  units: number;
  fanIn: number;
}

/**
 * Noise a regularizer injects into the forward pass while training (never at prediction): on the
 * inputs (layer 0) or hidden layers 1…H. Additive: a + σ·ε; multiplicative: a·(1 + s·ε), ε ~ N(0, 1).
 */
export interface NoiseSpec {
  type: "additive" | "multiplicative";
  /** σ (additive) or the factor's standard deviation s (multiplicative). */
  scale: number;
  /** Layers it applies to, given the number of hidden layers: 0 = the inputs. */
  layers(hidden: number): number[];
}

/**
 * The hooks a regularizer may have; the trainer calls each one it finds. Biases are never
 * penalized. Every hook takes weight matrices as flat row-major arrays (units × fanIn), so any
 * list of weight matrices (dense or convolutional filters flattened per output unit) fits.
 */
export interface Regularizer {
  /** Its spec, what is saved and sent (TF.js's getConfig); absent for an object of your own. */
  readonly spec?: RegularizerSpec;
  /** A short description with its setting, e.g. "L1, λ = 0.01". */
  readonly name: string;
  /** Its term in the cost of a batch of `m` examples (`shapes`: each matrix's, where known). */
  cost?(weights: readonly Float64Array[], m: number, shapes?: readonly WeightShape[]): number;
  /** The coefficient c the dW kernel adds as c·W (L2: λ/m); absent when not fused. */
  fusedDecay?(m: number): number;
  /** Adds its gradient to `dW` of layer `layer` (0-based), after the data's and the fused terms. */
  addGradient?(dW: Float64Array, W: Float64Array, layer: number, m: number, shape?: WeightShape): void;
  /** A constraint after each optimizer update: `W` the new weights, `before` the step's own. */
  afterUpdate?(W: Float64Array, before: Float64Array, shape: WeightShape, layer: number): void;
  /** Noise in the forward pass while training. */
  readonly noise?: NoiseSpec;
}

/** What a spec's setting must be: a number in a range, or a list of whole numbers. */
export type FieldRule =
  | {
      type: "number";
      min: number;
      max?: number;
      minExclusive?: boolean;
      maxExclusive?: boolean;
      optional?: boolean;
    }
  | { type: "layers"; optional?: boolean };

/** A kind of regularizer: the settings its spec holds and how to build it (TF.js's registerClass). */
export interface RegularizerClass {
  readonly kind: string;
  /** A sentence with its formula, for --help and the README. */
  readonly help: string;
  readonly fields: Readonly<Record<string, FieldRule>>;
  build(spec: RegularizerSpec): Regularizer;
}

const registry = new Map<string, RegularizerClass>();

/** Makes a kind buildable from its spec; a kind registered twice is an error. */
export function registerRegularizer(cls: RegularizerClass): void {
  if (registry.has(cls.kind)) throw new Error(`regularizer kind '${cls.kind}' is already registered`);
  registry.set(cls.kind, cls);
}

/** The registered kinds, in registration order. */
export function regularizerKinds(): string[] {
  return [...registry.keys()];
}

export function regularizerClass(kind: string): RegularizerClass | undefined {
  return registry.get(kind);
}

const show = (v: unknown) => (typeof v === "string" ? `'${v}'` : (JSON.stringify(v) ?? String(v)));

/** Checks a spec against its kind's fields; throws a RangeError naming the bad setting. */
export function checkRegularizerSpec(spec: unknown): RegularizerSpec {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new RangeError(`a regularizer must be an object with a kind, got ${show(spec)}`);
  }
  const s = spec as Record<string, unknown>;
  const cls = typeof s.kind === "string" ? registry.get(s.kind) : undefined;
  if (!cls) {
    throw new RangeError(
      `unknown regularizer kind ${show(s.kind)} (choose ${regularizerKinds().join(", ")})`,
    );
  }
  for (const key of Object.keys(s)) {
    if (key !== "kind" && !(key in cls.fields)) throw new RangeError(`${cls.kind} has no setting '${key}'`);
  }
  for (const [key, rule] of Object.entries(cls.fields)) {
    const v = s[key];
    if (v === undefined) {
      if (!rule.optional) throw new RangeError(`${cls.kind} needs a setting '${key}'`);
      continue;
    }
    if (rule.type === "layers") {
      if (!Array.isArray(v) || v.length > 64 || v.some((x) => !Number.isInteger(x) || x < 0)) {
        throw new RangeError(
          `${cls.kind} ${key} must be a list of layer numbers (0 = inputs), got ${show(v)}`,
        );
      }
      continue;
    }
    const low = rule.minExclusive ? (v as number) > rule.min : (v as number) >= rule.min;
    const high =
      rule.max === undefined || (rule.maxExclusive ? (v as number) < rule.max : (v as number) <= rule.max);
    if (typeof v !== "number" || !Number.isFinite(v) || !low || !high) {
      const lo = `${rule.minExclusive ? "(" : "["}${rule.min}`;
      const hi = rule.max === undefined ? "∞)" : `${rule.max}${rule.maxExclusive ? ")" : "]"}`;
      throw new RangeError(`${cls.kind} ${key} must be a number in ${lo}, ${hi}, got ${show(v)}`);
    }
  }
  return s as RegularizerSpec;
}

/** The object a spec describes (checked first). */
export function buildRegularizer(spec: RegularizerSpec): Regularizer {
  const checked = checkRegularizerSpec(spec);
  return registry.get(checked.kind)!.build(checked);
}

/** A check of a single setting for the built-in kinds' factories. */
export function nonNegative(name: string, v: number): number {
  if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be ≥ 0, got ${v}`);
  return v;
}
