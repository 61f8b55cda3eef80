/**
 * The learning-rate sweep behind the max-norm claim: one configuration (dropout on) trained at a
 * few α, with and without its max-norm constraint, as jobs. A sweep rather than compare rows,
 * because a diverged run is the very thing measured here: a job records it as a point, while a
 * compare row that diverges fails the whole comparison.
 */
import type { DataBundle } from "../data/dataset.js";
import type { RunConfig } from "../training/config.js";
import { type FitJob, inProcessRunner, type JobRunner } from "./jobs.js";
import type { LearningRatePoint } from "./regularizer-claims.js";

/** α multiples of the configuration's own that the sweep tries (a decade and a half up). */
export const PROBE_FACTORS: readonly number[] = [1, 3, 10, 30];

const isMaxNorm = (s: { kind: string }) => s.kind === "max-norm";

/** The jobs: every α with the configuration's max-norm, then every α without it. */
export function learningRateJobs(config: RunConfig, rates: readonly number[], hasTest: boolean): FitJob[] {
  const without = config.regularizers.filter((s) => !isMaxNorm(s));
  const set = hasTest ? "test" : "train";
  return [true, false].flatMap((maxNorm, arm) =>
    rates.map((learningRate, i) => ({
      id: arm * rates.length + i,
      config: { ...config, learningRate, ...(maxNorm ? {} : { regularizers: without }) },
      train: { set: "train" as const },
      score: { scored: { set } },
      correct: ["scored"],
    })),
  );
}

/**
 * Runs the sweep for a configuration with max-norm and dropout (default: α × PROBE_FACTORS),
 * scoring each run on the test set (the training set without one).
 */
export async function runLearningRateProbe(
  data: DataBundle,
  config: RunConfig,
  options: { rates?: readonly number[]; runner?: JobRunner } = {},
): Promise<LearningRatePoint[]> {
  if (!config.regularizers.some(isMaxNorm))
    throw new RangeError("the learning-rate probe needs a max-norm configuration");
  // Rounded to 12 digits, so 0.3 × 3 reads 0.9, not 0.8999999999999999.
  const rates = options.rates ?? PROBE_FACTORS.map((f) => Number((config.learningRate * f).toPrecision(12)));
  const jobs = learningRateJobs(config, rates, data.test !== undefined);
  const results = await (options.runner ?? inProcessRunner(data))(jobs);
  const byId = new Map(results.map((r) => [r.id, r]));
  return jobs.map((job) => {
    const r = byId.get(job.id);
    if (!r) throw new Error(`missing the learning-rate run ${job.id}`);
    const s = r.scores.scored;
    return {
      learningRate: job.config.learningRate!,
      maxNorm: job.id < rates.length,
      diverged: r.diverged !== undefined,
      ...(s && { accuracy: s.accuracy }),
      ...(s?.correct && { correct: s.correct }),
    };
  });
}
