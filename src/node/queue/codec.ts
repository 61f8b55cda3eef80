/**
 * Job ids and results as they travel through Redis. A result must come back with the same bits it
 * had in the worker: JSON keeps every finite double exactly, so only −0, ±∞ and NaN are spelled
 * out, and the per-example right/wrong vectors become strings of 0 and 1.
 */
import type { FitJobResult, JobScore } from "../../experiments/jobs.js";
import { sha256Hex } from "./dataset-store.js";
import type { QueuedFit } from "./job-schema.js";

/** A result that came back unreadable (a worker of another version, or a bug). */
export class ResultFormatError extends Error {
  override name = "ResultFormatError";
}

/** JSON with keys sorted at every level, so equal jobs hash equally. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * The job's id in the queue: a hash of everything that decides its result (reglab's version, the
 * dataset's hash, the job), so the same run always gets the same id and is never done twice.
 */
export function jobIdOf(q: QueuedFit): string {
  return `fit-${sha256Hex(new TextEncoder().encode(canonical(q))).slice(0, 40)}`;
}

const SPECIAL = new Map<string, number>([
  ["-0", -0],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
]);

function numberOut(x: number): number | string {
  if (Object.is(x, -0)) return "-0";
  return Number.isFinite(x) ? x : String(x);
}

function numberIn(path: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && SPECIAL.has(v)) return SPECIAL.get(v)!;
  throw new ResultFormatError(`result ${path} is not a number: ${JSON.stringify(v)}`);
}

export function encodeResult(r: FitJobResult): string {
  const scores: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(r.scores)) {
    scores[name] = {
      cost: numberOut(s.cost),
      accuracy: numberOut(s.accuracy),
      n: s.n,
      ...(s.correct && { correct: Array.from(s.correct).join("") }),
    };
  }
  return JSON.stringify({
    seconds: numberOut(r.seconds),
    iterationsRun: r.iterationsRun,
    ...(r.stopReason !== undefined && { stopReason: r.stopReason }),
    ...(r.bestIteration !== undefined && { bestIteration: r.bestIteration }),
    ...(r.diverged && { diverged: r.diverged }),
    scores,
    ...(r.curve && {
      curve: r.curve.map((p) => ({
        iteration: p.iteration,
        cost: numberOut(p.cost),
        accuracy: numberOut(p.accuracy),
      })),
    }),
  });
}

/** A diverged run's record (iteration, symptom, advice), checked field by field. */
function divergedIn(raw: unknown): FitJobResult["diverged"] {
  const d = raw as Record<string, unknown> | null;
  if (typeof d !== "object" || d === null || typeof d.symptom !== "string" || typeof d.advice !== "string") {
    throw new ResultFormatError("a result's divergence record is malformed");
  }
  return { iteration: numberIn("diverged.iteration", d.iteration), symptom: d.symptom, advice: d.advice };
}

/** The result as the local runner would have returned it, with the job's position `id`. */
export function decodeResult(text: unknown, id: number): FitJobResult {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(String(text));
  } catch {
    throw new ResultFormatError("a result is not JSON");
  }
  if (typeof o !== "object" || o === null || typeof o.scores !== "object" || o.scores === null) {
    throw new ResultFormatError("a result has no scores");
  }
  const scores: Record<string, JobScore> = {};
  for (const [name, raw] of Object.entries(o.scores as Record<string, Record<string, unknown>>)) {
    const s: JobScore = {
      cost: numberIn(`${name}.cost`, raw.cost),
      accuracy: numberIn(`${name}.accuracy`, raw.accuracy),
      n: numberIn(`${name}.n`, raw.n),
    };
    if (raw.correct !== undefined) {
      if (typeof raw.correct !== "string" || !/^[01]*$/.test(raw.correct)) {
        throw new ResultFormatError(`result ${name}.correct is not a string of 0 and 1`);
      }
      s.correct = Uint8Array.from(raw.correct, (c) => (c === "1" ? 1 : 0));
    }
    scores[name] = s;
  }
  return {
    id,
    seconds: numberIn("seconds", o.seconds),
    iterationsRun: numberIn("iterationsRun", o.iterationsRun),
    ...(o.stopReason !== undefined && { stopReason: String(o.stopReason) }),
    ...(o.bestIteration !== undefined && { bestIteration: numberIn("bestIteration", o.bestIteration) }),
    ...(o.diverged !== undefined && { diverged: divergedIn(o.diverged) }),
    scores,
    ...(o.curve !== undefined && { curve: curveIn(o.curve) }),
  };
}

/** A job's test curve, checked point by point. */
function curveIn(raw: unknown): FitJobResult["curve"] {
  if (!Array.isArray(raw)) throw new ResultFormatError("a result's curve is not a list");
  return raw.map((p: Record<string, unknown>, i) => ({
    iteration: numberIn(`curve[${i}].iteration`, p?.iteration),
    cost: numberIn(`curve[${i}].cost`, p?.cost),
    accuracy: numberIn(`curve[${i}].accuracy`, p?.accuracy),
  }));
}

/** A failure travels as "ErrorName: message"; these names fail the same way on every machine. */
export const DETERMINISTIC_FAILURES = [
  "DivergenceError",
  "ConfigError",
  "DataError",
  "RangeError",
  "JobValidationError",
];

export function splitFailure(reason: string): { name: string; message: string } {
  const m = /^([A-Za-z]\w*): ([\s\S]*)$/.exec(reason);
  return m ? { name: m[1], message: m[2] } : { name: "Error", message: reason };
}
