/**
 * Which models a run trains: the settings as they are, or — in compare mode — three side by side
 * on the same data: no regularization, L2 at the settings' λ, and dropout at the settings'
 * keepProb (everything else from the settings). λ and keepProb thus stay live in compare mode:
 * each drives its own panel, and the first panel stays the unregularized baseline.
 */
import { augmentSpec } from "./digits/augment-kinds.js";
import type { ModelSpec } from "./protocol.js";
import type { Settings } from "./state.js";

/** Short names for the panels. */
export const COMPARE_TITLES: Readonly<Record<string, string>> = {
  none: "No regularization",
  l2: "L2",
  dropout: "Dropout",
  augment: "Augmentation",
};

/** The article's values, which compare mode starts from when λ or keepProb is off. */
export const ARTICLE_LAMBDA = 0.7;
export const ARTICLE_KEEP = 0.86;

function keepText(keep: readonly number[]): string {
  return keep.every((p) => p === keep[0]) ? String(keep[0] ?? 1) : keep.join(", ");
}

/** A compare panel's title with its own value, e.g. "L2 λ = 0.7". */
export function compareTitle(key: string, s: Settings): string {
  if (key === "l2") return `L2 λ = ${s.lambda}`;
  if (key === "dropout") return `Dropout keepProb ${keepText(s.keepProb)}`;
  if (key === "augment") return `Augmentation: ${s.augment.join(", ") || "none"}`;
  return COMPARE_TITLES[key] ?? key;
}

/**
 * Entering compare mode with λ = 0 or no dropout would put the same model in two panels: those
 * start from the article's values (λ = 0.7, keepProb = 0.86). Returns the fields to change.
 */
export function compareStart(s: Settings): Partial<Settings> {
  const patch: Partial<Settings> = {};
  if (s.lambda === 0) patch.lambda = ARTICLE_LAMBDA;
  if (s.hidden.length > 0 && s.keepProb.every((p) => p === 1))
    patch.keepProb = s.hidden.map(() => ARTICLE_KEEP);
  // Digits compare augmentation too: a small affine map and a shift unless some are on.
  if (s.dataset === "digits" && s.augment.length === 0) patch.augment = ["affine", "crop"];
  return patch;
}

export function modelSpecs(s: Settings): ModelSpec[] {
  const augment = augmentSpec(s.augment);
  if (!s.compare) return [{ key: "model", name: "model", overrides: {}, ...(augment && { augment }) }];
  const same = s.keepProb.every((p) => p === s.keepProb[0]);
  const keep = s.keepProb.length === 0 ? 1 : same ? s.keepProb[0] : [...s.keepProb];
  return [
    { key: "none", name: "no regularization", overrides: { lambda: 0, keepProb: 1 } },
    { key: "l2", name: `L2, λ = ${s.lambda}`, overrides: { lambda: s.lambda, keepProb: 1 } },
    {
      key: "dropout",
      name: `dropout ${keepText(s.keepProb)}, ${s.dropoutMasks} masks`,
      overrides: { lambda: 0, keepProb: keep },
    },
    // Images: a fourth model, unregularized but trained on augmented batches.
    ...(s.dataset === "digits"
      ? [
          {
            key: "augment",
            name: `augmentation ${s.augment.join(", ") || "none"}`,
            overrides: { lambda: 0, keepProb: 1 },
            augment,
          },
        ]
      : []),
  ];
}

/**
 * One model's configuration in a short line for export titles, e.g. "layers 20, 3 relu · gradient
 * descent α = 0.3 · λ = 0.7 · no dropout" (`key`: the compare panel, whose λ or keepProb it is).
 */
export function shortConfig(s: Settings, key = "model"): string {
  const plain = key === "none" || key === "augment";
  const lambda = plain || key === "dropout" ? 0 : s.lambda;
  const keep = plain || key === "l2" ? [1] : s.keepProb;
  const optimizer = { gd: "gradient descent", momentum: "momentum", adam: "Adam" }[s.optimizer];
  const layers = s.hidden.length > 0 ? `layers ${s.hidden.join(", ")} ${s.activation}` : "no hidden layer";
  const dropout = keep.every((p) => p === 1) ? "no dropout" : `keepProb ${keepText(keep)}`;
  return `${layers} · ${optimizer} α = ${s.learningRate} · λ = ${lambda} · ${dropout}`;
}
