/**
 * Learning-rate schedules, as Keras's: a factor of α at optimizer step t (0-based) of a run of T
 * steps, written as a string so it travels in flags, jobs and model files.
 *   step:EVERY:FACTOR  α·FACTOR^⌊t/EVERY⌋        (ExponentialDecay, staircase, decay_steps EVERY)
 *   exp:RATE           α·RATE^t                  (ExponentialDecay, decay_steps 1)
 *   cosine[:WARMUP]    α·t/W for t < W, then α·½(1 + cos(π·(t − W)/(T − W)))
 *                      (CosineDecay from 0 with warmup_target α, warmup_steps W, decay_steps T − W)
 * The math is libm's, so a schedule gives the same bits in every engine.
 */
import { cos, powInt } from "./libm.js";

export type LrSchedule =
  | { kind: "none" }
  | { kind: "step"; every: number; factor: number }
  | { kind: "exp"; rate: number }
  | { kind: "cosine"; warmup: number };

export const SCHEDULE_FORMS = "none, step:EVERY:FACTOR, exp:RATE or cosine[:WARMUP]";

/** Parses a schedule string; throws a RangeError naming what is wrong. */
export function parseSchedule(text: string): LrSchedule {
  const bad = (why: string): never => {
    throw new RangeError(`learning-rate schedule '${text}': ${why} (write ${SCHEDULE_FORMS})`);
  };
  if (typeof text !== "string") return bad("not a string");
  const parts = text.split(":");
  const number = (s: string | undefined) => (s !== undefined && s.trim() !== "" ? Number(s) : Number.NaN);
  switch (parts[0]) {
    case "none":
      if (parts.length !== 1) bad("none takes no values");
      return { kind: "none" };
    case "step": {
      const every = number(parts[1]);
      const factor = number(parts[2]);
      if (parts.length !== 3) bad("step takes EVERY and FACTOR");
      if (!Number.isInteger(every) || every < 1) bad("EVERY must be a whole number ≥ 1");
      if (!(factor > 0 && factor <= 1)) bad("FACTOR must be in (0, 1]");
      return { kind: "step", every, factor };
    }
    case "exp": {
      const rate = number(parts[1]);
      if (parts.length !== 2) bad("exp takes RATE");
      if (!(rate > 0 && rate <= 1)) bad("RATE must be in (0, 1]");
      return { kind: "exp", rate };
    }
    case "cosine": {
      const warmup = parts.length === 1 ? 0 : number(parts[1]);
      if (parts.length > 2) bad("cosine takes at most WARMUP");
      if (!Number.isInteger(warmup) || warmup < 0) bad("WARMUP must be a whole number ≥ 0");
      return { kind: "cosine", warmup };
    }
    default:
      return bad("unknown form");
  }
}

/** The factor the schedule applies to α at step t of a run of `total` steps. */
export function scheduleFactor(s: LrSchedule, t: number, total: number): number {
  switch (s.kind) {
    case "none":
      return 1;
    case "step":
      return powInt(s.factor, Math.floor(t / s.every));
    case "exp":
      return powInt(s.rate, t);
    case "cosine": {
      if (t < s.warmup) return t / s.warmup;
      const span = total - s.warmup;
      if (span <= 0) return 1;
      return 0.5 * (1 + cos((Math.PI * Math.min(t - s.warmup, span)) / span));
    }
  }
}

/**
 * The learning rate in force at step t (epoch `epoch`) of a run of `total` steps: α/(1 + decay·epoch)
 * for the inverse-time decay, times the schedule's factor.
 */
export function learningRateAt(
  rate: number,
  decay: number,
  epoch: number,
  s: LrSchedule,
  t: number,
  total: number,
): number {
  const base = decay > 0 ? rate / (1 + decay * epoch) : rate;
  return s.kind === "none" ? base : base * scheduleFactor(s, t, total);
}
