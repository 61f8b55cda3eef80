/**
 * The model a digits run starts from — a dense [784, 64, 10] ReLU network, He init, Adam at
 * α = 0.001 on mini-batches of 64 — and the way back to the 2-D defaults when leaving digits.
 */

import { type LayerSpec, parseLayerSpecs } from "../../src/core/layers/spec.js";
import type { ImageShape } from "../../src/data/dataset.js";
import { defaultSettings, LIVE_KEYS, runConfigOf, type Settings, settingOf } from "../state.js";

/**
 * The small CNN (`net=cnn`) puts these before the dense layers: 8 filters of 5 × 5 (ReLU), then
 * 2 × 2 max pooling — on a digit, 24 × 24 × 8 maps pooled to 12 × 12 × 8.
 */
export const CNN_LAYERS = "conv:8:5,maxpool:2";

/**
 * Whether a CNN run takes the change of `key` from `before` to `after` live: everything the dense
 * network takes live (LayerTrainer.retune) but a change of the noise in the settings table, whose
 * layers are built with the trainer.
 */
export function cnnTakesLive(key: keyof Settings, before: Settings, after: Settings): boolean {
  if (!LIVE_KEYS.has(key)) return false;
  if (key !== "table") return true;
  const noise = (s: Settings) =>
    JSON.stringify(
      (runConfigOf(s).regularizers ?? []).filter(
        (r) => r.kind === "gaussian-noise" || r.kind === "gaussian-dropout",
      ),
    );
  return noise(before) === noise(after);
}

/** The hidden layers of a CNN run on images of `shape` (then the dense sizes); undefined for a dense run. */
export function cnnLayers(
  s: Pick<Settings, "net" | "hidden">,
  shape: ImageShape | undefined,
): LayerSpec[] | undefined {
  if (s.net !== "cnn" || !shape) return undefined;
  return parseLayerSpecs([CNN_LAYERS, ...s.hidden].join(","));
}

export const DIGITS_PRESET: Partial<Settings> = {
  hidden: [64],
  keepProb: [1],
  activation: "relu",
  init: "he",
  optimizer: "adam",
  learningRate: 0.001,
  batchSize: 64,
  lrDecay: 0,
  costEvery: 100,
  features: [],
  added: [],
};

/** The model settings the 2-D datasets start from (the article's). */
export function planePreset(): Partial<Settings> {
  const d = defaultSettings();
  const out: Partial<Settings> = {};
  for (const key of Object.keys(DIGITS_PRESET) as (keyof Settings)[]) {
    (out as Record<string, unknown>)[key] = d[key];
  }
  out.augment = [];
  return out;
}

/** A `#data=digits` link: the preset's values for every model setting the link does not give. */
export function digitsLinkDefaults(hash: string): Partial<Settings> {
  const params = new URLSearchParams(hash.replace(/^[#?]/, ""));
  const out: Partial<Settings> = {};
  for (const [key, value] of Object.entries(DIGITS_PRESET)) {
    if (!params.has(settingOf(key as keyof Settings).param)) (out as Record<string, unknown>)[key] = value;
  }
  // keepProb follows the layers when only they are given.
  if (params.has("layers") && !params.has("keep")) delete out.keepProb;
  return out;
}
