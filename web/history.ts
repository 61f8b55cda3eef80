/**
 * The page's copy of each model's history, grown from the worker's snapshots, and its CSV export.
 * Pure: no DOM.
 */
import type { EvalPoint, HistoryDelta } from "./protocol.js";

export class ModelHistory {
  readonly costIterations: number[] = [];
  readonly costs: number[] = [];
  readonly evaluations: EvalPoint[] = [];

  constructor(
    readonly key: string,
    readonly name: string,
  ) {}

  append(delta: HistoryDelta): void {
    for (let k = 0; k < delta.costs.length; k++) {
      this.costIterations.push(delta.costIterations[k]);
      this.costs.push(delta.costs[k]);
    }
    for (const e of delta.evaluations) this.evaluations.push(e);
  }
}

const COLUMNS = [
  "iteration",
  "cost",
  "train_loss",
  "dev_loss",
  "test_loss",
  "train_accuracy",
  "dev_accuracy",
  "test_accuracy",
] as const;

/** Full precision (String(x) round-trips every double); empty where there is no value. */
function cell(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? "" : String(v);
}

/**
 * One row per iteration at which anything was recorded: `cost` is the training objective as
 * `reglab train --json` reports it (same digits), the rest are evaluations. With several models a
 * leading `model` column names each row's model.
 */
export function historyCsv(histories: readonly ModelHistory[]): string {
  const many = histories.length > 1;
  const lines = [(many ? ["model", ...COLUMNS] : [...COLUMNS]).join(",")];
  for (const h of histories) {
    const cost = new Map<number, number>();
    for (const [k, it] of h.costIterations.entries()) cost.set(it, h.costs[k]);
    const evals = new Map<number, EvalPoint>();
    for (const e of h.evaluations) evals.set(e.iteration, e);
    const iterations = [...new Set([...cost.keys(), ...evals.keys()])].sort((a, b) => a - b);
    for (const it of iterations) {
      const e = evals.get(it);
      const row = [
        String(it),
        cell(cost.get(it)),
        cell(e?.trainLoss),
        cell(e?.devLoss),
        cell(e?.testLoss),
        cell(e?.trainAccuracy),
        cell(e?.devAccuracy),
        cell(e?.testAccuracy),
      ];
      lines.push((many ? [h.key, ...row] : row).join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}
