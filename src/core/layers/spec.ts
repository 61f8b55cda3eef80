/**
 * Layer specs: the typed objects a layered network is built from (in the library, on the command
 * line and in model files), the `--layers` text form, and the shape each layer gives its output.
 * Activations are height × width × channels (row-major HWC, as the course and Keras); a dense
 * layer's output is 1 × 1 × units.
 */

export type Padding = "valid" | "same";

export type LayerSpec =
  | { type: "conv"; filters: number; size: number; stride?: number; padding?: Padding }
  | { type: "maxpool"; size: number; stride?: number }
  | { type: "avgpool"; size: number; stride?: number }
  | { type: "flatten" }
  | { type: "dense"; units: number }
  /** Inverted dropout: each value kept with probability keepProb and scaled by 1/keepProb. */
  | { type: "dropout"; keepProb: number }
  /** Whole feature maps kept or dropped together (Tompson et al. 2015), inverted scaling. */
  | { type: "spatial-dropout"; keepProb: number };

export type LayerType = LayerSpec["type"];

export interface TensorShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export function shapeSize(s: TensorShape): number {
  return s.height * s.width * s.channels;
}

/** Raised for a layer spec that cannot be built; the message is one line naming the layer. */
export class LayerSpecError extends RangeError {
  override name = "LayerSpecError";
}

/** One line naming a spec as `--layers` writes it. */
export function specText(s: LayerSpec): string {
  switch (s.type) {
    case "conv":
      return `conv:${s.filters}:${s.size}:${s.stride ?? 1}:${s.padding ?? "valid"}`;
    case "maxpool":
    case "avgpool":
      return `${s.type}:${s.size}${s.stride !== undefined && s.stride !== s.size ? `:${s.stride}` : ""}`;
    case "flatten":
      return "flatten";
    case "dense":
      return String(s.units);
    case "dropout":
    case "spatial-dropout":
      return `${s.type}:${s.keepProb}`;
  }
}

const WHOLE = /^[0-9]+$/;

function whole(raw: string | undefined, what: string, token: string): number {
  const v = raw !== undefined && WHOLE.test(raw) ? Number(raw) : Number.NaN;
  if (!(Number.isSafeInteger(v) && v >= 1)) {
    throw new LayerSpecError(`${token}: ${what} must be a whole number ≥ 1, got '${raw ?? ""}'`);
  }
  return v;
}

function keep(raw: string | undefined, token: string): number {
  const v = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
  if (!(v > 0 && v <= 1))
    throw new LayerSpecError(`${token}: keep probability must be in (0, 1], got '${raw ?? ""}'`);
  return v;
}

function parseToken(token: string): LayerSpec {
  if (WHOLE.test(token)) return { type: "dense", units: whole(token, "units", token) };
  const [name, ...args] = token.split(":");
  const arity = (min: number, max: number, form: string) => {
    if (args.length < min || args.length > max) throw new LayerSpecError(`${token}: expected ${form}`);
  };
  switch (name) {
    case "conv": {
      arity(2, 4, "conv:FILTERS:SIZE[:STRIDE][:same|valid]");
      const spec: LayerSpec = {
        type: "conv",
        filters: whole(args[0], "filters", token),
        size: whole(args[1], "size", token),
        stride: 1,
        padding: "valid",
      };
      for (const a of args.slice(2)) {
        if (a === "same" || a === "valid") spec.padding = a;
        else spec.stride = whole(a, "stride", token);
      }
      if (args.length === 4 && !(WHOLE.test(args[2]) && (args[3] === "same" || args[3] === "valid"))) {
        throw new LayerSpecError(`${token}: expected conv:FILTERS:SIZE[:STRIDE][:same|valid]`);
      }
      return spec;
    }
    case "maxpool":
    case "avgpool": {
      arity(1, 2, `${name}:SIZE[:STRIDE]`);
      const size = whole(args[0], "size", token);
      return { type: name, size, stride: args[1] === undefined ? size : whole(args[1], "stride", token) };
    }
    case "flatten":
      arity(0, 0, "flatten");
      return { type: "flatten" };
    case "dropout":
    case "spatial-dropout":
      arity(1, 1, `${name}:KEEP_PROB`);
      return { type: name, keepProb: keep(args[0], token) };
    default:
      throw new LayerSpecError(
        `unknown layer '${token}' (use a number for a dense layer, conv:F:S[:STRIDE][:same|valid], maxpool:S, avgpool:S, dropout:P, spatial-dropout:P or flatten)`,
      );
  }
}

/**
 * Reads `--layers` text: comma-separated tokens, e.g. `conv:8:5,maxpool:2,conv:16:3:same,64`.
 * Plain numbers are dense layers; the output layer is not listed (it follows from the labels).
 */
export function parseLayerSpecs(text: string): LayerSpec[] {
  if (text.trim() === "") return [];
  return text.split(",").map((t) => parseToken(t.trim()));
}

/** Checks a spec object from a library caller or a model file; returns it typed. */
export function checkLayerSpec(s: unknown): LayerSpec {
  const o = s as Record<string, unknown>;
  if (typeof o !== "object" || o === null || typeof o.type !== "string")
    throw new LayerSpecError("a layer spec must be an object with a type");
  const n = (key: string) => {
    const v = o[key];
    if (!(typeof v === "number" && Number.isSafeInteger(v) && v >= 1))
      throw new LayerSpecError(
        `${o.type} layer: ${key} must be a whole number ≥ 1, got ${JSON.stringify(v)}`,
      );
    return v;
  };
  switch (o.type) {
    case "conv": {
      const padding = o.padding ?? "valid";
      if (padding !== "valid" && padding !== "same")
        throw new LayerSpecError(
          `conv layer: padding must be 'valid' or 'same', got ${JSON.stringify(padding)}`,
        );
      return {
        type: "conv",
        filters: n("filters"),
        size: n("size"),
        stride: o.stride === undefined ? 1 : n("stride"),
        padding,
      };
    }
    case "maxpool":
    case "avgpool": {
      const size = n("size");
      return { type: o.type, size, stride: o.stride === undefined ? size : n("stride") };
    }
    case "flatten":
      return { type: "flatten" };
    case "dense":
      return { type: "dense", units: n("units") };
    case "dropout":
    case "spatial-dropout": {
      const p = o.keepProb;
      if (!(typeof p === "number" && p > 0 && p <= 1))
        throw new LayerSpecError(`${o.type} layer: keepProb must be in (0, 1], got ${JSON.stringify(p)}`);
      return { type: o.type, keepProb: p };
    }
    default:
      throw new LayerSpecError(`unknown layer type ${JSON.stringify(o.type)}`);
  }
}

/**
 * Output size and leading padding of a convolution or pooling along one axis. `valid`: no padding,
 * ⌊(n − f)/s⌋ + 1 outputs. `same` (Keras's convention): ⌈n/s⌉ outputs, total padding
 * max((out − 1)·s + f − n, 0) of which ⌊total/2⌋ before and the rest (one more when odd) after.
 */
export function axisGeometry(
  n: number,
  f: number,
  s: number,
  padding: Padding,
): { out: number; before: number } {
  if (padding === "same") {
    const out = Math.ceil(n / s);
    const total = Math.max((out - 1) * s + f - n, 0);
    return { out, before: Math.floor(total / 2) };
  }
  return { out: n >= f ? Math.floor((n - f) / s) + 1 : 0, before: 0 };
}

/** The shape a layer gives for input shape `s`, or a LayerSpecError naming why it cannot. */
export function outputShape(spec: LayerSpec, s: TensorShape): TensorShape {
  switch (spec.type) {
    case "conv":
    case "maxpool":
    case "avgpool": {
      const stride = spec.stride ?? (spec.type === "conv" ? 1 : spec.size);
      const padding = spec.type === "conv" ? (spec.padding ?? "valid") : "valid";
      const h = axisGeometry(s.height, spec.size, stride, padding).out;
      const w = axisGeometry(s.width, spec.size, stride, padding).out;
      if (h < 1 || w < 1) {
        throw new LayerSpecError(
          `${specText(spec)} needs an input of at least ${spec.size} × ${spec.size}, it gets ${s.height} × ${s.width}`,
        );
      }
      return { height: h, width: w, channels: spec.type === "conv" ? spec.filters : s.channels };
    }
    case "flatten":
      return { height: 1, width: 1, channels: shapeSize(s) };
    case "dense":
      return { height: 1, width: 1, channels: spec.units };
    case "dropout":
    case "spatial-dropout":
      return s;
  }
}
