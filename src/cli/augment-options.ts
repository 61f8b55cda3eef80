import { type Command, InvalidArgumentError } from "commander";
import {
  AUGMENT_MODES,
  type Augmentation,
  type AugmentMode,
  augmentTraining,
  checkTransforms,
  type Dataset,
  parseAugmentation,
  TRANSFORM_NAMES,
  type TrainerOptions,
  type Transform,
} from "../index.js";
import { oneOf, positiveInteger } from "./parse.js";
import { UsageError } from "./runtime.js";

export interface ParsedAugmentation {
  readonly spec: string;
  readonly transforms: Transform[];
}

function augmentSpec(raw: string): ParsedAugmentation {
  try {
    return { spec: raw, transforms: parseAugmentation(raw) };
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

export function addAugmentOptions(cmd: Command): Command {
  return cmd
    .option(
      "--augment <spec>",
      `augment the training data, e.g. flip,crop:4,elastic:alpha=34,sigma=4 (${TRANSFORM_NAMES.join(", ")})`,
      augmentSpec,
    )
    .option(
      "--augment-mode <mode>",
      "online (each batch transformed afresh) or expand (k transformed copies, drawn once)",
      oneOf(AUGMENT_MODES),
      "online",
    )
    .option("--augment-copies <k>", "expand mode: transformed copies of each example", positiveInteger, 1);
}

export interface AugmentOptionValues {
  augment?: ParsedAugmentation;
  augmentMode: AugmentMode;
  augmentCopies: number;
}

export interface AppliedAugmentation {
  /** The training set to fit: expanded in expand mode, else as given. */
  readonly train: Dataset;
  /** The trainer's per-batch hook in online mode. */
  readonly trainerOptions: Pick<TrainerOptions, "transform">;
  /** For the report and --json, when augmenting. */
  readonly summary?: Augmentation;
}

/**
 * Augments the training set only (dev and test are never passed here), with the engine's
 * augmentTraining — the function comparison jobs use — after checking the flags go together.
 */
export function applyAugmentation(
  o: AugmentOptionValues,
  train: Dataset,
  seed: number,
  command: Command,
): AppliedAugmentation {
  if (!o.augment) {
    for (const key of ["augmentMode", "augmentCopies"]) {
      if (command.getOptionValueSource(key) === "cli") {
        throw new UsageError(
          `--${key === "augmentMode" ? "augment-mode" : "augment-copies"} needs --augment`,
        );
      }
    }
    return { train, trainerOptions: {} };
  }
  const { spec, transforms } = o.augment;
  try {
    checkTransforms(transforms, train.shape);
  } catch (e) {
    throw new UsageError(`--augment ${spec}: ${(e as Error).message}`);
  }
  if (o.augmentMode !== "expand" && command.getOptionValueSource("augmentCopies") === "cli") {
    throw new UsageError("--augment-copies needs --augment-mode expand");
  }
  const summary: Augmentation =
    o.augmentMode === "expand" ? { spec, mode: "expand", copies: o.augmentCopies } : { spec, mode: "online" };
  const augmented = augmentTraining(summary, train, seed);
  return {
    train: augmented.train,
    trainerOptions: augmented.transform ? { transform: augmented.transform } : {},
    summary,
  };
}
