/** Node-only: reads a model file written by `reglab train --save` (or `modelToJSON`). */

import { hasDropoutLayers } from "../core/layers/mc-dropout.js";
import { LAYERED_MODEL_VERSION, layeredModelFromJSON } from "../core/layers/model-file.js";
import { LayeredNetwork } from "../core/layers/network.js";
import type { Network } from "../core/network.js";
import { clipPath, oneLine } from "../core/quote.js";
import { type ModelFile, ModelFormatError, modelFromJSON, modelKeepProbs } from "../core/serialize.js";
import { ConfigError, type RunConfig, resolveRunConfig } from "../training/config.js";
import { MAX_INPUT_BYTES, readInputFile } from "./input-file.js";

export interface LoadedModel {
  /** The path as given. */
  path: string;
  /** A dense Network (format versions 1 and 2) or a LayeredNetwork (version 3: convolution, pooling). */
  network: Network | LayeredNetwork;
  /** The validated file: format, version, sizes, weights, and the recorded config and training. */
  file: ModelFile;
  /** Keep probability of each hidden layer from the recorded config (1 = no dropout; [] when layered). */
  keepProb: number[];
  /** Whether the model was trained with dropout (some keepProb < 1, or dropout layers): MC dropout applies. */
  hasDropout: boolean;
}

/**
 * Reads and validates a model file. Every problem — missing file, not JSON, wrong format or
 * version, missing or misshapen weights, non-finite numbers, a keepProb out of range — is a
 * ModelFormatError whose message starts with the path.
 */
export async function loadModelFile(path: string): Promise<LoadedModel> {
  const bytes = await readInputFile(
    path,
    (why) => new ModelFormatError(`${clipPath(path)}: ${why}`),
    MAX_INPUT_BYTES,
    "model file",
  );
  return parseModelFile(new TextDecoder("utf-8").decode(bytes), path);
}

/** Validates the text of a model file read from `path` (named in errors) and builds its network. */
export function parseModelFile(text: string, path: string): LoadedModel {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`${clipPath(path)}: not valid JSON (${oneLine((e as Error).message, 80)})`);
  }
  let network: Network | LayeredNetwork;
  try {
    const version = (json as { version?: unknown } | null)?.version;
    network = version === LAYERED_MODEL_VERSION ? layeredModelFromJSON(json) : modelFromJSON(json);
  } catch (e) {
    if (e instanceof ModelFormatError) throw new ModelFormatError(`${clipPath(path)}: ${e.message}`);
    throw e;
  }
  const file = json as ModelFile;
  if (file.config !== undefined) {
    // Checked as strictly as the same settings given as flags: the config may be trained again.
    try {
      resolveRunConfig(file.config as Partial<RunConfig>);
    } catch (e) {
      if (e instanceof ConfigError) throw new ModelFormatError(`${clipPath(path)}: config: ${e.message}`);
      throw e;
    }
  }
  // A layered network's dropout is in its layers (dropout, spatial dropout), not in keepProb.
  const keepProb = network instanceof LayeredNetwork ? [] : modelKeepProbs(file);
  const hasDropout =
    network instanceof LayeredNetwork ? hasDropoutLayers(network) : keepProb.some((p) => p < 1);
  return { path, network, file, keepProb, hasDropout };
}

/** Reads a model file and returns its network (see {@link loadModelFile} for the whole file). */
export async function loadModel(path: string): Promise<Network | LayeredNetwork> {
  return (await loadModelFile(path)).network;
}
