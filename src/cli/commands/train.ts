import type { Command } from "commander";
import { accuracy } from "../../core/network.js";
import { modelToJSON } from "../../core/serialize.js";
import { writeFileAtomic } from "../../node/atomic-write.js";
import { plotCostCurves } from "../../plot/index.js";
import { type RunConfig, resolveRunConfig } from "../../training/config.js";
import { fit } from "../../training/train.js";
import { addDataOptions, type DataOptionValues, describeBundle, loadBundle } from "../data-options.js";
import { boundarySvg, checkPlottable } from "../figures.js";
import { addModelOptions, type ModelOptionValues, runConfigFrom } from "../model-options.js";
import { checkOutputPath, writeFigure } from "../output.js";
import { progressCallback } from "../progress.js";
import { formatAccuracy } from "../report-text.js";
import type { Io } from "../runtime.js";

interface TrainOptions extends DataOptionValues, ModelOptionValues {
  json?: boolean;
  save?: string;
  plot?: string;
  costPlot?: string;
  quiet?: boolean;
}

/** A readable one-line summary of a configuration. */
export function describeConfig(c: RunConfig, inputs: number): string {
  const opt = c.optimizer.name === "gd" ? "gradient descent" : c.optimizer.name;
  const batch = c.batchSize > 0 ? `, batches of ${c.batchSize}` : "";
  const keep = Array.isArray(c.keepProb) ? c.keepProb.join(",") : String(c.keepProb);
  const drop = keep === "1" ? "no dropout" : `keepProb ${keep} (${c.dropoutMasks} masks)`;
  return (
    `network [${[inputs, ...c.hidden, 1].join(", ")}] ${c.activation}, ${c.init} init, seed ${c.seed}; ` +
    `${opt} α = ${c.learningRate}${batch}, ${c.iterations} iterations; λ = ${c.lambda}; ${drop}`
  );
}

export function registerTrain(program: Command, io: Io): void {
  const cmd = program
    .command("train")
    .summary("train one network and report its accuracy")
    .description(
      "Train a fully connected network with sigmoid output and cross-entropy, as in the seed article.\n" +
        "Costs print every 10 000 iterations; accuracies come with 95 % Wilson intervals.",
    );
  addDataOptions(cmd);
  addModelOptions(cmd);
  cmd
    .option("--json", "print one JSON object on stdout (progress goes to stderr)")
    .option("--save <model.json>", "write the trained model (loads with predict, recommend and loadModel)")
    .option("--plot <file>", "decision-boundary plot, .svg or .png (2-feature data)")
    .option("--cost-plot <file>", "cost curve, .svg or .png")
    .option("--quiet", "no progress output")
    .addHelpText(
      "after",
      `
Examples:
  $ reglab train                                        # the seed's baseline on the built-in football data
  $ reglab train --data football.mat --lambda 0.7       # L2 on the real data
  $ reglab train --data football.mat --keep-prob 0.86 --dropout-masks fixed --plot dropout.png
  $ reglab train --dataset moons --layers 16,8 --optimizer adam --learning-rate 0.01 --json`,
    )
    .action(async (o: TrainOptions) => {
      if (o.save) checkOutputPath(o.save, "--save", [".json"]);
      if (o.plot) checkOutputPath(o.plot, "--plot", [".svg", ".png"]);
      if (o.costPlot) checkOutputPath(o.costPlot, "--cost-plot", [".svg", ".png"]);
      const bundle = await loadBundle(o);
      if (o.plot) checkPlottable(bundle, "--plot");
      const config = resolveRunConfig(runConfigFrom(o));
      const say = o.json ? () => {} : io.out;
      say(`Data: ${describeBundle(bundle)}\n`);
      say(`Model: ${describeConfig(config, bundle.train.X.rows)}\n`);
      const progress = progressCallback(io, {
        label: "train",
        costLinesEvery: 10_000,
        costLinesTo: o.json ? "err" : "out",
        quiet: o.quiet,
      });
      const result = await fit(bundle.train, config, {
        callbacks: [progress],
        signal: io.signal,
        yieldControl: io.pause,
        now: io.now,
      });
      const m = bundle.train.X.cols;
      const trainAccuracy = accuracy(result.network, bundle.train);
      const testAccuracy = bundle.test ? accuracy(result.network, bundle.test) : null;
      const summary = {
        trainAccuracy,
        testAccuracy,
        costs: result.history.costs,
        seconds: result.seconds,
        iterationsRun: result.history.iterationsRun,
        ...(result.history.stopReason ? { stopReason: result.history.stopReason } : {}),
        data: bundle.source,
        config,
      };
      if (o.json) {
        io.out(`${JSON.stringify(summary)}\n`);
      } else {
        if (result.history.stopReason)
          io.out(`Stopped after ${result.history.iterationsRun} iterations (${result.history.stopReason})\n`);
        io.out(`On the training set: accuracy ${trainAccuracy} — ${formatAccuracy(trainAccuracy, m)}\n`);
        if (bundle.test && testAccuracy !== null) {
          io.out(
            `On the test set:     accuracy ${testAccuracy} — ${formatAccuracy(testAccuracy, bundle.test.X.cols)}\n`,
          );
        }
        io.out(`Training took ${result.seconds.toFixed(2)} s\n`);
      }
      if (o.save) {
        const file = modelToJSON(result.network, {
          config: { ...config },
          training: { ...summary, config: undefined },
        });
        await writeFileAtomic(o.save, `${JSON.stringify(file)}\n`);
        if (!o.json) io.out(`Saved the model to ${o.save}\n`);
      }
      if (o.plot) {
        await writeFigure(
          o.plot,
          boundarySvg(result.network, bundle, `Decision boundary — test accuracy ${testAccuracy ?? "n/a"}`),
        );
        if (!o.json) io.out(`Wrote the decision boundary to ${o.plot}\n`);
      }
      if (o.costPlot) {
        const svg = plotCostCurves(
          [{ name: "training cost", iterations: result.history.iterations, costs: result.history.costs }],
          {
            title: "Cost during training",
          },
        );
        await writeFigure(o.costPlot, svg);
        if (!o.json) io.out(`Wrote the cost curve to ${o.costPlot}\n`);
      }
    });
}
