import type { Command } from "commander";
import { explainRow, runComparison } from "../../experiments/compare.js";
import { resolveRunConfig } from "../../training/config.js";
import { addDataOptions, type DataOptionValues, describeBundle, loadBundle } from "../data-options.js";
import { positiveInteger } from "../parse.js";
import { progressCallback } from "../progress.js";
import { formatAccuracy, textTable } from "../report-text.js";
import type { Io } from "../runtime.js";
import { describeConfig } from "./train.js";

interface CompareOptions extends DataOptionValues {
  json?: boolean;
  iterations?: number;
  quiet?: boolean;
}

export function registerCompare(program: Command, io: Io): void {
  const cmd = program
    .command("compare")
    .summary("the seed's experiment: no regularization, L2, dropout, side by side")
    .description(
      "Train the seed article's models on the same data — no regularization, L2 (λ = 0.7), dropout\n" +
        "(keepProb 0.86) with the reference code's fixed masks, and real dropout with fresh masks —\n" +
        "and print train and test accuracy (with 95 % Wilson intervals), last cost and time.",
    );
  addDataOptions(cmd);
  cmd
    .option("--iterations <n>", "iterations per model (the seed uses 30 000)", positiveInteger)
    .option("--json", "print one JSON object { models: [...] } on stdout")
    .option("--quiet", "no progress output")
    .addHelpText(
      "after",
      `
Examples:
  $ reglab compare                                  # on the built-in football stand-in
  $ reglab compare --data ../shared/datasets/football.mat
  $ reglab compare --data football.mat --json > results.json`,
    )
    .action(async (o: CompareOptions) => {
      const bundle = await loadBundle(o);
      const base = o.iterations ? { iterations: o.iterations } : {};
      resolveRunConfig(base);
      if (!o.json) io.out(`Data: ${describeBundle(bundle)}\n`);
      const rows = await runComparison(bundle, {
        base,
        trainOptions: (model) => ({
          callbacks: [
            progressCallback(io, {
              label: model.name,
              costLinesEvery: 0,
              costLinesTo: "err",
              quiet: o.quiet,
              lineFraction: 0.5,
            }),
          ],
          signal: io.signal,
          yieldControl: io.pause,
          now: io.now,
        }),
      });
      if (o.json) {
        const models = rows.map((r) => ({
          name: r.model.name,
          key: r.model.key,
          trainAccuracy: r.trainAccuracy,
          testAccuracy: r.testAccuracy,
          costs: r.result.history.costs,
          seconds: r.result.seconds,
          config: r.result.config,
        }));
        io.out(`${JSON.stringify({ data: bundle.source, models })}\n`);
        return;
      }
      const first = rows[0].result.config;
      io.out(
        `Models: ${describeConfig({ ...first, lambda: 0 }, bundle.train.X.rows).replace(/; λ = .*$/, "")}\n\n`,
      );
      const mTrain = bundle.train.X.cols;
      const mTest = bundle.test?.X.cols ?? 0;
      const last = rows[0].result.history.iterations.at(-1) ?? 0;
      const table = textTable(
        ["model", "train accuracy [95% CI]", "test accuracy [95% CI]", `cost @ ${last}`, "seconds"],
        rows.map((r) => [
          r.model.name,
          formatAccuracy(r.trainAccuracy, mTrain),
          r.testAccuracy === null ? "—" : formatAccuracy(r.testAccuracy, mTest),
          (r.result.history.costs.at(-1) ?? Number.NaN).toFixed(4),
          r.result.seconds.toFixed(2),
        ]),
      );
      io.out(`${table}\n\n`);
      for (const r of rows) io.out(`- ${r.model.name}: ${explainRow(r, rows[0])}\n`);
    });
}
