import { isActivation } from "../activations.js";
import { nestsDeeperThan } from "../json-depth.js";
import { describeValue } from "../quote.js";
import { LAYERED_MODEL_VERSION, MODEL_FORMAT, type ModelFile, ModelFormatError } from "../serialize.js";
import { LayeredNetwork } from "./network.js";
import { checkLayerSpec, type LayerSpec, LayerSpecError } from "./spec.js";

/** Model files of layered networks: version 3 of the format (versions 1 and 2 are dense networks). */
export { LAYERED_MODEL_VERSION };

export interface LayeredModelFile extends Omit<ModelFile, "version" | "sizes" | "image"> {
  version: typeof LAYERED_MODEL_VERSION;
  /** Every layer in order, the output layer last (typed specs, as the library takes them). */
  layers: LayerSpec[];
  /** The input's shape (height × width × channels, HWC). */
  image: { height: number; width: number; channels: number };
  /** Each layer with weights: conv W f × f × C_in × C_out, dense W units × inputs, row-major. */
  weights: number[][];
  biases: number[][];
}

export function layeredModelToJSON(
  net: LayeredNetwork,
  extra: Pick<ModelFile, "config" | "training" | "classes"> = {},
): LayeredModelFile {
  return {
    format: MODEL_FORMAT,
    version: LAYERED_MODEL_VERSION,
    layers: net.layers.map((s) => ({ ...s })),
    image: { ...net.input },
    activation: net.activation,
    weights: net.weights.map((w) => Array.from(w)),
    biases: net.biases.map((b) => Array.from(b)),
    ...extra,
  };
}

function numbers(value: unknown, what: string): Float64Array {
  if (!Array.isArray(value)) throw new ModelFormatError(`${what} is missing or not an array`);
  const out = new Float64Array(value.length);
  value.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new ModelFormatError(`${what}[${i}] is ${describeValue(v)}, not a finite number`);
    out[i] = v;
  });
  return out;
}

/** Checks a version-3 (layered) model file and builds its network; errors say what is wrong, on one line. */
export function layeredModelFromJSON(json: unknown): LayeredNetwork {
  if (typeof json !== "object" || json === null || Array.isArray(json) || nestsDeeperThan(json))
    throw new ModelFormatError("not a model file (expected a JSON object)");
  const f = json as Partial<LayeredModelFile>;
  if (f.format !== MODEL_FORMAT || f.version !== LAYERED_MODEL_VERSION)
    throw new ModelFormatError(
      `not a layered reglab model (format ${describeValue(f.format)}, version ${describeValue(f.version)})`,
    );
  const im = f.image as Record<string, unknown> | undefined;
  const dims = [im?.height, im?.width, im?.channels];
  if (!dims.every((d) => Number.isInteger(d) && (d as number) >= 1))
    throw new ModelFormatError(`image is ${describeValue(f.image)}; expected { height, width, channels }`);
  if (!Array.isArray(f.layers) || f.layers.length === 0)
    throw new ModelFormatError("layers must be a list of layer specs");
  if (typeof f.activation !== "string" || !isActivation(f.activation))
    throw new ModelFormatError(`unknown activation ${describeValue(f.activation)}`);
  if (!Array.isArray(f.weights) || !Array.isArray(f.biases))
    throw new ModelFormatError("weights and biases must be lists, one array per layer with weights");
  try {
    const layers = f.layers.map(checkLayerSpec);
    const input = { height: dims[0] as number, width: dims[1] as number, channels: dims[2] as number };
    return new LayeredNetwork(
      layers,
      input,
      f.activation,
      f.weights.map((w, i) => numbers(w, `weights[${i}]`)),
      f.biases.map((b, i) => numbers(b, `biases[${i}]`)),
    );
  } catch (e) {
    if (e instanceof LayerSpecError || e instanceof RangeError) throw new ModelFormatError(e.message);
    throw e;
  }
}
