/** Node-only: reads a model file written by `reglab train --save` (or `modelToJSON`). */
import { readFile, stat } from "node:fs/promises";
import type { Network } from "../core/network.js";
import { type ModelFile, ModelFormatError, modelFromJSON, modelKeepProbs } from "../core/serialize.js";

export interface LoadedModel {
  /** The path as given. */
  path: string;
  network: Network;
  /** The validated file: format, version, sizes, weights, and the recorded config and training. */
  file: ModelFile;
  /** Keep probability of each hidden layer from the recorded config (1 = no dropout). */
  keepProb: number[];
  /** Whether the model was trained with dropout (some keepProb < 1): MC dropout applies. */
  hasDropout: boolean;
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : e instanceof Error ? e.message : String(e);
}

/**
 * Reads and validates a model file. Every problem — missing file, not JSON, wrong format or
 * version, missing or misshapen weights, non-finite numbers, a keepProb out of range — is a
 * ModelFormatError whose message starts with the path.
 */
export async function loadModelFile(path: string): Promise<LoadedModel> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new ModelFormatError(`${path}: is a directory, not a model file`);
    text = await readFile(path, "utf8");
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    const code = codeOf(e);
    const why =
      code === "ENOENT" || code === "ENOTDIR"
        ? "file not found"
        : code === "EACCES"
          ? "permission denied"
          : `cannot read (${code})`;
    throw new ModelFormatError(`${path}: ${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  let network: Network;
  try {
    network = modelFromJSON(json);
  } catch (e) {
    if (e instanceof ModelFormatError) throw new ModelFormatError(`${path}: ${e.message}`);
    throw e;
  }
  const file = json as ModelFile;
  const keepProb = modelKeepProbs(file);
  return { path, network, file, keepProb, hasDropout: keepProb.some((p) => p < 1) };
}

/** Reads a model file and returns its network (see {@link loadModelFile} for the whole file). */
export async function loadModel(path: string): Promise<Network> {
  return (await loadModelFile(path)).network;
}
