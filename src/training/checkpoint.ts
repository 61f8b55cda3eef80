import { decodeDoubles as decode, encodeDoubles } from "../core/doubles-codec.js";
import type { Dataset } from "../data/dataset.js";
import { type RunConfig, resolveRunConfig } from "./config.js";
import type { RunState } from "./run.js";

/**
 * A checkpoint file: the run's state (weights, optimizer moments, generator, batch order, history,
 * callback state) with the config it was made with and a fingerprint of the training data, so
 * `--resume` refuses other data. Arrays of doubles are stored with encodeDoubles (exact to the bit).
 */
export const CHECKPOINT_FORMAT = "reglab-checkpoint";
export const CHECKPOINT_VERSION = 1;

/** Raised for a checkpoint that cannot be resumed; the message says why. */
export class CheckpointError extends Error {
  override name = "CheckpointError";
}

export interface Checkpoint {
  config: RunConfig;
  /** fingerprintData() of the training set. */
  data: string;
  /** Free-form settings of the caller that must match on resume (e.g. early stopping's). */
  extra: Record<string, unknown>;
  state: RunState;
}

/** A short fingerprint of a dataset (FNV-1a over its shape, features' bytes and labels). */
export function fingerprintData(d: Dataset): string {
  let h = 0x811c9dc5;
  const mix = (byte: number) => {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (const v of [d.X.rows, d.X.cols]) for (let s = 0; s < 32; s += 8) mix((v >>> s) & 255);
  const bytes = new Uint8Array(d.X.data.buffer, d.X.data.byteOffset, d.X.data.byteLength);
  for (let i = 0; i < bytes.length; i++) mix(bytes[i]);
  for (let i = 0; i < d.y.length; i++) mix(d.y[i]);
  return `${d.X.rows}x${d.X.cols}-${h.toString(16).padStart(8, "0")}`;
}

/** The checkpoint as a JSON document. */
export function checkpointToJSON(c: Checkpoint): string {
  const s = c.state;
  const doc = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: c.config,
    data: c.data,
    extra: c.extra,
    state: {
      ...s,
      weights: s.weights.map(encodeDoubles),
      biases: s.biases.map(encodeDoubles),
      trainer: {
        ...s.trainer,
        optimizer: { step: s.trainer.optimizer.step, slots: s.trainer.optimizer.slots.map(encodeDoubles) },
      },
      callbacks: s.callbacks.map((cb) => (cb === null || cb === undefined ? null : cb)),
    },
  };
  return `${JSON.stringify(doc)}\n`;
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new CheckpointError(`${what} is missing`);
  return v as Record<string, unknown>;
}

function decodeDoubles(v: unknown): Float64Array {
  try {
    return decode(v);
  } catch (e) {
    throw new CheckpointError((e as Error).message);
  }
}

function doublesList(v: unknown, what: string): Float64Array[] {
  if (!Array.isArray(v)) throw new CheckpointError(`${what} is missing`);
  return v.map(decodeDoubles);
}

/**
 * Reads a checkpoint document back, checking its shape; deep consistency (weights against the
 * network, batch order against the data) is checked when the run restores it.
 */
export function parseCheckpoint(text: string): Checkpoint {
  let doc: Record<string, unknown>;
  try {
    doc = object(JSON.parse(text), "the checkpoint");
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError("not a JSON document");
  }
  if (doc.format !== CHECKPOINT_FORMAT) throw new CheckpointError("not a reglab checkpoint");
  if (doc.version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(`checkpoint version ${String(doc.version).slice(0, 20)} is not supported`);
  }
  let config: RunConfig;
  try {
    config = resolveRunConfig(object(doc.config, "config") as Partial<RunConfig>);
  } catch (e) {
    throw new CheckpointError(`its config is invalid: ${(e as Error).message}`);
  }
  if (typeof doc.data !== "string") throw new CheckpointError("the data fingerprint is missing");
  const st = object(doc.state, "state");
  const trainer = object(st.trainer, "trainer state");
  const optimizer = object(trainer.optimizer, "optimizer state");
  const history = object(st.history, "history");
  for (const key of ["iterations", "costs", "weightNorms", "evaluations"]) {
    if (!Array.isArray(history[key])) throw new CheckpointError(`history.${key} is missing`);
  }
  if (!Array.isArray(st.callbacks)) throw new CheckpointError("callback state is missing");
  const state: RunState = {
    weights: doublesList(st.weights, "weights"),
    biases: doublesList(st.biases, "biases"),
    trainer: {
      ...(trainer as unknown as RunState["trainer"]),
      optimizer: { step: Number(optimizer.step), slots: doublesList(optimizer.slots, "optimizer slots") },
    },
    history: history as unknown as RunState["history"],
    divergence: object(st.divergence, "divergence state") as unknown as RunState["divergence"],
    callbacks: st.callbacks,
  };
  return { config, data: doc.data, extra: object(doc.extra ?? {}, "extra"), state };
}
