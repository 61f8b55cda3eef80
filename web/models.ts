/**
 * Which models a run trains: the settings as they are, or — in compare mode — the seed's three
 * (no regularization, L2 λ = 0.7, dropout keepProb = 0.86) with everything else from the settings.
 */
import { SEED_MODELS } from "../src/experiments/compare.js";
import type { ModelSpec } from "./protocol.js";
import type { Settings } from "./state.js";

function seedModel(key: string) {
  const m = SEED_MODELS.find((s) => s.key === key);
  if (!m) throw new Error(`no seed model '${key}'`);
  return m;
}

/** Short names for the panels. */
export const COMPARE_TITLES: Readonly<Record<string, string>> = {
  none: "No regularization",
  l2: "L2",
  dropout: "Dropout",
};

export function modelSpecs(s: Settings): ModelSpec[] {
  if (!s.compare) return [{ key: "model", name: "model", overrides: {} }];
  const l2 = seedModel("l2");
  // The seed's dropout row with the mask policy chosen in the settings (fixed reproduces the article).
  const dropout = seedModel(s.dropoutMasks === "fixed" ? "dropout-fixed" : "dropout-fresh");
  const off = { lambda: 0, keepProb: 1 };
  return [
    { key: "none", name: seedModel("none").name, overrides: { ...off } },
    { key: "l2", name: l2.name, overrides: { ...off, ...l2.overrides } },
    { key: "dropout", name: dropout.name, overrides: { ...off, ...dropout.overrides } },
  ];
}
