import { readFile, stat } from "node:fs/promises";
import type { Command } from "commander";
import {
  type Checkpoint,
  CheckpointError,
  checkpointToJSON,
  type Dataset,
  fingerprintData,
  parseCheckpoint,
  type RunConfig,
  type RunState,
  type TrainOptions,
} from "../index.js";
import { writeFileAtomic } from "../node/index.js";
import { checkOutputPath } from "./output.js";
import { UsageError } from "./runtime.js";

export interface CheckpointOptionValues {
  checkpoint?: string;
  checkpointEvery: string;
  resume?: string;
}

/** `--checkpoint-every 500` is iterations, `--checkpoint-every 30s` seconds. */
export function parseCadence(raw: string): { iterations?: number; seconds?: number } {
  const m = /^(\d+(?:\.\d+)?)(s?)$/.exec(raw.trim());
  const v = m ? Number(m[1]) : Number.NaN;
  if (!m || !(v > 0) || (m[2] === "" && !Number.isInteger(v))) {
    throw new UsageError(
      `--checkpoint-every: expected a whole number of iterations or seconds like 30s, got '${raw.slice(0, 40)}'`,
    );
  }
  return m[2] === "s" ? { seconds: v } : { iterations: v };
}

export function addCheckpointOptions(cmd: Command): Command {
  return cmd
    .option(
      "--checkpoint <file.json>",
      "save the run's full state to this file now and then and on Ctrl-C, to --resume from",
    )
    .option("--checkpoint-every <n|Ns>", "checkpoint every n iterations, or every N seconds (30s)", "1000")
    .option(
      "--resume <file.json>",
      "go on from a checkpoint: same data and flags, bit-for-bit the same result",
    );
}

/** What a command passes to fit() for checkpoints, and the config to train with. */
export interface Checkpointing {
  options: Pick<TrainOptions, "onCheckpoint" | "checkpointEvery" | "checkpointSeconds" | "resume">;
  /** Where the resumed run stood, for a line of output. */
  resumedAt?: number;
}

async function readCheckpointFile(path: string): Promise<Checkpoint> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`--resume ${path}: not a regular file`);
    text = await readFile(path, "utf8");
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as { code?: string }).code;
    throw new UsageError(
      `--resume ${path}: ${code === "ENOENT" ? "file not found" : `cannot read (${code})`}`,
    );
  }
  try {
    return parseCheckpoint(text);
  } catch (e) {
    if (e instanceof CheckpointError) throw new UsageError(`--resume ${path}: ${e.message}`);
    throw e;
  }
}

/**
 * Sets up checkpointing for one training run. `extra` holds the caller's settings that must be
 * the same on resume (early stopping, dev split). With --resume, the checkpoint's config is the
 * run's; the command line must describe the same run, or it is refused with what differs.
 */
export async function checkpointing(
  o: CheckpointOptionValues,
  run: { config: RunConfig; data: Dataset; extra: Record<string, unknown> },
): Promise<Checkpointing> {
  if (o.checkpoint) checkOutputPath(o.checkpoint, "--checkpoint", [".json"]);
  const cadence = parseCadence(o.checkpointEvery);
  const data = fingerprintData(run.data);
  let resume: RunState | undefined;
  if (o.resume) {
    const ck = await readCheckpointFile(o.resume);
    if (ck.data !== data)
      throw new UsageError(`--resume ${o.resume}: the checkpoint was made on other training data`);
    const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
    for (const key of Object.keys(run.config) as (keyof RunConfig)[]) {
      if (differs(run.config[key], ck.config[key])) {
        throw new UsageError(
          `--resume ${o.resume}: the checkpoint has ${key} = ${JSON.stringify(ck.config[key])}, ` +
            `the command line ${JSON.stringify(run.config[key])}; give the flags of the interrupted run`,
        );
      }
    }
    if (differs(run.extra, ck.extra)) {
      throw new UsageError(
        `--resume ${o.resume}: the checkpoint was made with other early-stopping or dev settings`,
      );
    }
    resume = ck.state;
  }
  const path = o.checkpoint;
  const onCheckpoint = path
    ? async (state: RunState) => {
        await writeFileAtomic(path, checkpointToJSON({ config: run.config, data, extra: run.extra, state }));
      }
    : undefined;
  return {
    options: {
      ...(onCheckpoint && { onCheckpoint }),
      ...(cadence.iterations !== undefined && { checkpointEvery: cadence.iterations }),
      ...(cadence.seconds !== undefined && {
        checkpointEvery: Number.MAX_SAFE_INTEGER,
        checkpointSeconds: cadence.seconds,
      }),
      ...(resume && { resume }),
    },
    ...(resume && { resumedAt: resume.trainer.iteration }),
  };
}
