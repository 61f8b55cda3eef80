import type { Command } from "commander";
import {
  bundleClassCount,
  type CostCheck,
  DataError,
  DEFAULT_CHECK_ITERATIONS,
  DEFAULT_GRADIENT_THRESHOLD,
  DEFAULT_MAX_RISE,
  describeConfig,
  describeHugeFeatures,
  LAYERED_CHECK_PER_ARRAY,
  layersFor,
  OVERFLOWING_FEATURE,
  type Rise,
  resolveRunConfig,
  riseShare,
  runChecks,
  specText,
} from "../../index.js";
import { configByData } from "../data-defaults.js";
import { addDataOptions, type DataOptionValues, describeBundle, loadBundle } from "../data-options.js";
import { layeredSpecs } from "../layers-option.js";
import { addModelOptions, type ModelOptionValues } from "../model-options.js";
import { nonNegativeNumber, parseNumber, positiveInteger } from "../parse.js";
import { runOptions } from "../progress.js";
import { formatAccuracy } from "../report-text.js";
import { ExitStatus, type Io, paceOf, phase, stopIfInterrupted } from "../runtime.js";

interface CheckCommandOptions extends DataOptionValues, ModelOptionValues {
  checkIterations: number;
  gradientExamples: number;
  gradientThreshold: number;
  maxRise: number;
  json?: boolean;
  quiet?: boolean;
}

type Mark = "pass" | "warn" | "fail" | "skip";

function painter(color: boolean) {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const symbol: Record<Mark, string> = {
    pass: paint("32", "✓"),
    warn: paint("33", "⚠"),
    fail: paint("31", "✗"),
    skip: paint("2", "–"),
  };
  return { symbol, paint };
}

const sci = (x: number) => x.toExponential(2);
const pc = (x: number) => {
  const v = 100 * x;
  return `${v >= 10 ? v.toFixed(0) : v.toPrecision(2)} %`;
};

function riseText(r: Rise): string {
  return `iteration ${r.iteration} (+${sci(r.increase)}, ${pc(r.relative)})`;
}

/** Detail lines for one cost run. */
/** The largest rise as riseShare measures it, in words. */
function shareText(c: CostCheck): string {
  const share = pc(riseShare(c.report!, c.per === "epoch"));
  return c.per === "epoch" ? `largest ${share} of the first cost` : `largest ${share}`;
}

function runDetail(c: CostCheck, m: number): string[] {
  if (c.diverged) return [`   training diverged at iteration ${c.diverged.iteration}: ${c.diverged.message}`];
  const r = c.report!;
  const lines = [
    `   cost ${r.firstCost.toFixed(4)} → ${r.lastCost.toFixed(4)} over ${r.points} ${c.per === "epoch" ? "epoch ends" : "iterations"}`,
  ];
  if (r.firstRise && r.largestRise) {
    lines.push(
      `   ${r.rises} rise${r.rises === 1 ? "" : "s"}: the first at ${riseText(r.firstRise)}, the largest at ${riseText(r.largestRise)}`,
    );
  } else {
    lines.push("   no rise: the cost fell at every step");
  }
  if (c.trainAccuracy !== undefined) lines.push(`   training accuracy ${formatAccuracy(c.trainAccuracy, m)}`);
  return lines;
}

/** One summary line for a cost run. */
function runSummary(c: CostCheck, maxRise: number, alpha: number): { mark: Mark; text: string } {
  const what = c.name === "dropout off" ? "cost with dropout off" : "cost with dropout on";
  if (c.diverged) return { mark: "fail", text: `${what}: diverged at iteration ${c.diverged.iteration}` };
  const r = c.report!;
  const fell = `${r.firstCost.toFixed(3)} → ${r.lastCost.toFixed(3)}`;
  if (c.name === "dropout on") {
    return c.passed
      ? {
          mark: "pass",
          text: `${what} fell overall (${fell}); ${r.rises} rises on the way are expected, each step trains a different thinned network`,
        }
      : { mark: "fail", text: `${what} did not fall overall (${fell})` };
  }
  if (!r.fellOverall) return { mark: "fail", text: `${what} did not fall overall (${fell})` };
  if (c.status === "pass") return { mark: "pass", text: `${what} decreased monotonically (${fell})` };
  const first = `first rise at iteration ${r.firstRise!.iteration} by ${sci(r.firstRise!.increase)}`;
  if (c.status === "warn") {
    return {
      mark: "warn",
      text:
        `${what} not monotonic but close: ${r.rises} small rises (${shareText(c)} ≤ ${pc(maxRise)}), ` +
        `${first}; it fell ${fell}. ` +
        (c.per === "epoch"
          ? "Mini-batch steps are noisy, so the whole set's cost need not fall at every epoch end"
          : `α = ${alpha} is near where gradient descent starts to oscillate; a smaller one gives a monotonic cost`),
    };
  }
  return {
    mark: "fail",
    text: `${what} not monotonic: ${first}, the largest rise ${pc(r.largestRise!.relative)} at iteration ${r.largestRise!.iteration} — the steps overshoot; lower the learning rate (α = ${alpha})`,
  };
}

export function registerCheck(program: Command, io: Io): void {
  const cmd = program
    .command("check")
    .summary("checks to run before a long job: monotonic cost, dropout, gradient check")
    .description(
      "The article's monitoring advice, automated. (1) Train the configuration with dropout off and\n" +
        "check that the cost falls at every iteration (first rise and by how much); (2) with its dropout\n" +
        "on, check that the cost falls overall; (3) compare backpropagation's gradient with finite\n" +
        "differences on a few examples. Exit code 0 when every check passes (warnings included),\n" +
        "1 when one fails, 2 for bad usage or input.",
    );
  addDataOptions(cmd);
  addModelOptions(cmd);
  cmd
    .option(
      "--check-iterations <n>",
      "iterations of each check run (at most --iterations)",
      positiveInteger,
      DEFAULT_CHECK_ITERATIONS,
    )
    .option("--gradient-examples <n>", "examples in the gradient check's batch", positiveInteger, 16)
    .option(
      "--gradient-threshold <d>",
      "the gradient check passes below this relative difference",
      parseNumber("a number > 0", (v) => v > 0),
      DEFAULT_GRADIENT_THRESHOLD,
    )
    .option(
      "--max-rise <fraction>",
      "with dropout off, rises up to this fraction of the cost warn, larger ones fail (0 = any rise fails)",
      nonNegativeNumber,
      DEFAULT_MAX_RISE,
    )
    .option("--json", "print one JSON object on stdout")
    .option("--quiet", "no progress output")
    .addHelpText(
      "after",
      `
Examples:
  $ reglab check                                           # the article's baseline on built-in data
  $ reglab check --data football.mat --keep-prob 0.86 --lambda 0.7
  $ reglab check --data football.mat --learning-rate 0.1 --max-rise 0   # insist on a strictly falling cost`,
    )
    .action(async (o: CheckCommandOptions, command: Command) => {
      phase(io, "load");
      const bundle = await loadBundle(o);
      const overflow = describeHugeFeatures(bundle.train.X, OVERFLOWING_FEATURE);
      if (overflow) {
        throw new DataError(
          bundle.source,
          `${overflow}: values this large overflow float64 in a network's products, so nothing can be checked; standardize the features`,
        );
      }
      const layers = layeredSpecs(o.layers);
      const config = resolveRunConfig(configByData(o, command, bundle).config);
      if (layers) layersFor(bundle.train, layers, config);
      const say = o.json ? () => {} : io.out;
      say(`Data: ${describeBundle(bundle)}\n`);
      // Each check runs min(--check-iterations, --iterations), not the whole run it checks.
      const checkIterations = Math.min(o.checkIterations, config.iterations);
      say(
        `Model: ${describeConfig({ ...config, iterations: checkIterations, ...(layers && config.init === "reference" ? { init: "he" as const } : {}) }, bundle.train.X.rows, { classes: bundleClassCount(bundle), ...(layers ? { layers: layers.map(specText) } : {}) }).replace(/ iterations$/, " iterations per check")}` +
          `${checkIterations < config.iterations ? ` (the run it checks has ${config.iterations.toLocaleString("en-US")})` : ""}\n`,
      );
      const report = await runChecks(bundle.train, config, {
        ...(layers ? { layers } : {}),
        iterations: o.checkIterations,
        gradientExamples: o.gradientExamples,
        gradientThreshold: o.gradientThreshold,
        maxRise: o.maxRise,
        trainOptions: (name) => runOptions(io, `check, ${name}`, o.quiet, 0.1),
        pace: paceOf(io),
        onPhase: (name) => phase(io, name),
      });
      await stopIfInterrupted(io, "before the report");
      if (o.json) {
        io.out(`${JSON.stringify({ data: bundle.source, config, ...report })}\n`);
        if (!report.passed) throw new ExitStatus(1);
        return;
      }
      const m = bundle.train.X.cols;
      const off = report.dropoutOff;
      const per =
        off.per === "epoch"
          ? "the whole training set's cost at each epoch end (mini-batches)"
          : "the cost at every iteration";
      io.out(`\n1. Dropout off: ${off.iterations} iterations, ${per}\n`);
      for (const line of runDetail(off, m)) io.out(`${line}\n`);
      const on = report.dropoutOn;
      if (on) {
        const keep = Array.isArray(on.keepProb) ? on.keepProb.join(",") : on.keepProb;
        io.out(
          `2. Dropout on (keepProb ${keep}, ${config.dropoutMasks} masks): ${on.iterations} iterations\n`,
        );
        for (const line of runDetail(on, m)) io.out(`${line}\n`);
      } else {
        io.out("2. Dropout on: skipped, this configuration has no dropout (keepProb 1)\n");
      }
      const g = report.gradient;
      io.out(
        `3. Gradient check at the initial weights on ${g.examples} examples, ${g.parameters} parameters${layers ? ` (up to ${LAYERED_CHECK_PER_ARRAY} of each array)` : ""} ` +
          `(λ = ${config.lambda}${on ? ", the fixed dropout masks" : ""}): relative difference ${sci(g.relativeDifference)}\n`,
      );

      const { symbol, paint } = painter(io.outColor === true);
      const lines: { mark: Mark; text: string }[] = [runSummary(off, o.maxRise, config.learningRate)];
      lines.push(
        on
          ? runSummary(on, o.maxRise, config.learningRate)
          : { mark: "skip", text: "dropout on: skipped (no dropout configured)" },
      );
      lines.push({
        mark: g.passed ? "pass" : "fail",
        text: `gradient check: relative difference ${sci(g.relativeDifference)} ${g.passed ? "<" : "≥"} ${sci(g.threshold)}${g.passed ? "" : " — backpropagation and the cost disagree"}`,
      });
      io.out("\nSummary\n");
      for (const l of lines) io.out(`  ${symbol[l.mark]} ${l.text}\n`);
      const failed = lines.filter((l) => l.mark === "fail").length;
      const warned = lines.filter((l) => l.mark === "warn").length;
      const warnNote = warned > 0 ? ` (${warned} warning${warned > 1 ? "s" : ""})` : "";
      io.out(
        failed === 0
          ? `${paint("32", `All checks passed${warnNote}.`)}\n`
          : `${paint("31", `${failed} check${failed > 1 ? "s" : ""} failed${warnNote}.`)}\n`,
      );
      if (failed > 0) throw new ExitStatus(1);
    });
}
