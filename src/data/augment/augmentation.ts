/**
 * Augmentation as data: a spec string, a mode and a copy count that travel in a job (to a worker
 * thread or over the queue) and are turned into transforms where the run happens, so the CLI's
 * `train` and every comparison job augment through this one function.
 */
import { RandomState } from "../../core/random.js";
import type { Dataset } from "../dataset.js";
import { batchTransform, checkTransforms, expandDataset } from "./compose.js";
import { parseAugmentation } from "./parse.js";

export const AUGMENT_MODES = ["online", "expand"] as const;
export type AugmentMode = (typeof AUGMENT_MODES)[number];

/** How a run augments its training data: `flip,crop:4` online, or k copies drawn once (expand). */
export interface Augmentation {
  readonly spec: string;
  readonly mode: AugmentMode;
  /** Expand mode: transformed copies of each example (default 1). */
  readonly copies?: number;
}

/** What a run trains on once augmented. */
export interface AugmentedTraining {
  /** The training set to fit: expanded in expand mode, else the one given. */
  readonly train: Dataset;
  /** Online mode: the trainer's per-batch hook (TrainerOptions.transform). */
  readonly transform?: ReturnType<typeof batchTransform>;
}

/** Checks an augmentation's fields and spec; throws a RangeError naming what is wrong. */
export function checkAugmentation(a: Augmentation): void {
  if (!(AUGMENT_MODES as readonly string[]).includes(a.mode)) {
    throw new RangeError(`augmentation mode must be ${AUGMENT_MODES.join(" or ")}, got '${a.mode}'`);
  }
  if (a.copies !== undefined) {
    if (a.mode !== "expand") throw new RangeError("augmentation copies need expand mode");
    if (!Number.isInteger(a.copies) || a.copies < 1 || a.copies > 1000) {
      throw new RangeError(`augmentation copies must be a whole number in [1, 1000], got ${a.copies}`);
    }
  }
  parseAugmentation(a.spec);
}

/**
 * Augments a training set (never pass dev or test data here). Expand mode draws its copies once
 * from a generator of its own seeded with the run's seed, so the run's generator (weights, masks,
 * batches) is untouched; online mode hands the trainer a hook that draws from the run's generator.
 */
export function augmentTraining(a: Augmentation, train: Dataset, seed: number): AugmentedTraining {
  checkAugmentation(a);
  const transforms = parseAugmentation(a.spec);
  checkTransforms(transforms, train.shape);
  if (a.mode === "expand") {
    return { train: expandDataset(train, transforms, a.copies ?? 1, new RandomState(seed)) };
  }
  return { train, transform: batchTransform(transforms, train.shape) };
}

/** One line saying what an augmentation does, for tables and reports (m: examples trained on). */
export function describeAugmentation(a: Augmentation, m?: number): string {
  if (a.mode === "online") return `${a.spec}, online mode: every batch transformed afresh`;
  const k = a.copies ?? 1;
  const all = m === undefined ? "" : `, ${m} in all`;
  return `${a.spec}, expand mode: ${k} transformed ${k === 1 ? "copy" : "copies"} of each example${all}`;
}
