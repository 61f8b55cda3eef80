import { join } from "node:path";
import type { Command } from "commander";
import {
  describeConfig,
  ensembleUncertaintyPaced,
  FOOTBALL_VIEW,
  fit,
  gridPoints,
  LayeredNetwork,
  layeredMcDropoutPassesPaced,
  type Network,
  plotKickMap,
  predictWithUncertaintyPaced,
  probabilityMap,
  type Recommendation,
  type RunConfig,
  round3 as r3,
  recommend,
  resolveRunConfig,
  resolveView,
  specText,
  summarizePasses,
  trainEnsemble,
  type Uncertainty,
  type UncertaintyMethod,
  zoneMembership,
} from "../../index.js";
import { type LoadedModel, loadModelFile, svgToPng, writeFileAtomic } from "../../node/index.js";
import { addDataOptions, type DataOptionValues, describeBundle, loadBundle } from "../data-options.js";
import { boundaryStyle, checkPlottable, isFootball } from "../figures.js";
import { iterationCount, parseNumber, positiveInteger, seedNumber } from "../parse.js";
import { runOptions } from "../progress.js";
import { checkOutputDir, ensureDir } from "../report.js";
import { textTable } from "../report-text.js";
import { type Io, paceOf, phase, stopIfInterrupted, UsageError } from "../runtime.js";

interface RecommendOptions extends DataOptionValues {
  model?: string;
  samples: number;
  threshold: number;
  out?: string;
  json?: boolean;
  seed: number;
  grid: number;
  ensemble: number;
  iterations?: number;
  quiet?: boolean;
}

/** The article's dropout model, trained when no --model is given: keepProb 0.86 with fresh masks. */
export const DEFAULT_RECOMMEND_MODEL: Partial<RunConfig> = { keepProb: 0.86, dropoutMasks: "fresh" };

const probability = parseNumber("a probability strictly between 0 and 1", (v) => v > 0 && v < 1);
const gridSize = parseNumber(
  "a whole number from 10 to 400",
  (v) => Number.isInteger(v) && v >= 10 && v <= 400,
);

function fmtNum(v: number, digits = 3): string {
  return v.toFixed(digits);
}

export function registerRecommend(program: Command, io: Io): void {
  const cmd = program
    .command("recommend")
    .summary("where should the goalkeeper kick? target zones with uncertainty")
    .description(
      [
        "Answer the article's business question: a map of P(French player wins the",
        "header) over the pitch, with uncertainty, and the target zones where even a",
        "pessimistic estimate stays above --threshold.",
        "",
        "Uncertainty: for a model trained with dropout, Monte Carlo dropout: T =",
        "--samples passes with dropout kept ON at prediction, each pass one thinned",
        "network (one mask over the hidden units from RandomState(--seed)). Without",
        "dropout, an ensemble of --ensemble networks trained from seeds s, s+1, …",
        "(the loaded model is the first).",
        "",
        "Per grid cell, the bounds are the 5th and 95th percentiles of the passes. A",
        "zone is a 4-connected region of cells whose 5th percentile ≥ --threshold.",
        "Its interval is the 95 % confidence interval of the zone's mean probability,",
        "mean ± 1.96·sd/√T over the passes: it narrows as T grows. Zones are ranked",
        "by area × mean probability; each gets an aim point, its cell farthest from",
        "the zone's edge. Coordinates are in the data's units (areas in units², and",
        "in m² on the football pitch).",
        "",
        "Without --model, the article's dropout model (keepProb 0.86, fresh masks, seed",
        "3, 30 000 iterations) is trained on the data first.",
      ].join("\n"),
    );
  addDataOptions(cmd);
  cmd
    .option(
      "--model <model.json>",
      "a model saved by reglab train --save (default: train the article's dropout model)",
    )
    .option("--samples <T>", "MC-dropout passes", positiveInteger, 100)
    .option("--threshold <p>", "a zone's cells keep a 5th-percentile win probability ≥ p", probability, 0.8)
    .option("--out <dir>", "write recommend.json and kick-map.png here (created if missing)")
    .option("--json", "print one JSON object (the same as recommend.json) on stdout")
    .option("--seed <n>", "seed of the generator that draws the MC-dropout masks", seedNumber, 0)
    .option("--grid <n>", "grid cells along each axis", gridSize, 100)
    .option("--ensemble <n>", "ensemble size when the model has no dropout", positiveInteger, 10)
    .option(
      "--iterations <n>",
      "iterations when training (default: the model's own, or 30 000)",
      iterationCount,
    )
    .option("--quiet", "no progress output")
    .addHelpText(
      "after",
      `
Examples:
  $ reglab recommend --data ../shared/datasets/football.mat --out kick/
  $ reglab train --data football.mat --keep-prob 0.86 --save dropout.json
  $ reglab recommend --data football.mat --model dropout.json --samples 500 --threshold 0.9
  $ reglab recommend --data football.mat --model l2.json --ensemble 10 --json > zones.json`,
    )
    .action(async (o: RecommendOptions) => {
      if (o.samples < 2)
        throw new UsageError(`--samples: MC dropout needs at least 2 passes, got ${o.samples}`);
      if (o.ensemble < 2)
        throw new UsageError(`--ensemble: an ensemble needs at least 2 networks, got ${o.ensemble}`);
      if (o.out) checkOutputDir(o.out, "--out");
      const say = o.json ? (_: string) => {} : io.out;
      phase(io, "load");
      const model: LoadedModel | undefined = o.model ? await loadModelFile(o.model) : undefined;
      if (model && model.network.outputs > 1) {
        throw new UsageError(
          `${o.model} tells ${model.network.outputs} classes apart; recommend maps P(class 1) of a two-class model (use predict)`,
        );
      }
      if (model?.network instanceof LayeredNetwork && !model.hasDropout)
        throw new UsageError(
          `${o.model} is a layered network without a dropout layer: recommend's MC dropout needs one (a seed ensemble of layered networks is not built yet)`,
        );
      const bundle = await loadBundle(o);
      checkPlottable(bundle, "recommend");
      if (model && model.network.inputSize !== bundle.train.X.rows) {
        throw new UsageError(
          `${o.model} takes ${model.network.inputSize} features but ${bundle.source} has ${bundle.train.X.rows}`,
        );
      }
      say(`Data: ${describeBundle(bundle)}\n`);
      const trainOptions = (label: string) => runOptions(io, label, o.quiet);
      const inputs = bundle.train.X.rows;

      // The network(s) and how their uncertainty is measured.
      let method: UncertaintyMethod;
      let net: Network | undefined;
      // A layered model (e.g. --layers 20,dropout:0.8,3) gives its passes with its dropout layers on.
      let layered: LayeredNetwork | undefined;
      let keepProb: number[] = [];
      let members: Network[] = [];
      let seeds: number[] = [];
      let modelInfo: Record<string, unknown>;
      if (model?.network instanceof LayeredNetwork) {
        layered = model.network;
        method = "mc-dropout";
        modelInfo = {
          source: o.model,
          layers: layered.describe(),
          activation: layered.activation,
          config: model.file.config,
        };
        say(`Model: ${o.model} — network ${layered.describe()} ${layered.activation}\n`);
      } else if (model) {
        net = model.network;
        modelInfo = {
          source: o.model,
          sizes: net.sizes,
          activation: net.activation,
          config: model.file.config,
        };
        say(`Model: ${o.model} — network [${net.sizes.join(", ")}] ${net.activation}\n`);
        if (model.hasDropout) {
          method = "mc-dropout";
          keepProb = model.keepProb;
        } else {
          method = "ensemble";
          if (!model.file.config) {
            throw new UsageError(
              `${o.model} has no dropout and records no training config, so neither MC dropout nor a seed ensemble can be built; retrain it with reglab train --save`,
            );
          }
          const config = resolveRunConfig({
            ...(model.file.config as Partial<RunConfig>),
            ...(o.iterations ? { iterations: o.iterations } : {}),
          });
          seeds = Array.from({ length: o.ensemble - 1 }, (_, k) => (config.seed + k + 1) % 2 ** 32);
          say(
            `Uncertainty: the model has no dropout, so an ensemble of ${o.ensemble}: the loaded model (seed ${config.seed}) and ${seeds.length} retrained with seeds ${seeds[0]}…${seeds.at(-1)}\n`,
          );
          await stopIfInterrupted(io, "before training the ensemble");
          phase(io, "ensemble");
          const more = await trainEnsemble(bundle.train, config, seeds, (s) => trainOptions(`seed ${s}`));
          members = [net, ...more];
          seeds = [config.seed, ...seeds];
        }
      } else {
        const config = resolveRunConfig({
          ...DEFAULT_RECOMMEND_MODEL,
          ...(o.iterations ? { iterations: o.iterations } : {}),
        });
        say(`Model: the article's dropout model, trained now — ${describeConfig(config, inputs)}\n`);
        await stopIfInterrupted(io, "before training");
        phase(io, "train");
        const result = await fit(bundle.train, config, trainOptions("dropout model"));
        net = result.network;
        method = "mc-dropout";
        keepProb = new Array<number>(config.hidden.length).fill(0.86);
        modelInfo = { source: "trained", sizes: net.sizes, activation: net.activation, config };
      }
      if (method === "mc-dropout") {
        say(
          `Uncertainty: MC dropout, ${o.samples} passes with dropout kept on at prediction (${
            layered
              ? `its ${layered.layers
                  .filter((l) => l.type.includes("dropout"))
                  .map(specText)
                  .join(", ")} layers`
              : `keepProb ${[...new Set(keepProb)].join(", ")}`
          }), masks from RandomState(${o.seed})\n`,
        );
        if (o.samples < 50) {
          say(
            `Note: with only ${o.samples} passes, rare thinned networks are easily missed and the intervals come out too narrow; use 100 or more.\n`,
          );
        }
      }

      const football = isFootball(bundle);
      const sets = bundle.test ? [bundle.train, bundle.test] : [bundle.train];
      // Football: the pitch itself (kicks off the pitch are no answer); else the data's range.
      const view = football ? FOOTBALL_VIEW : resolveView({}, sets);
      await stopIfInterrupted(io, "before the Monte Carlo passes");
      phase(io, "passes");
      // The passes yield to the event loop and stop on Ctrl-C; the map then takes them as they are.
      const grid = gridPoints(view, o.grid, o.grid);
      const u: Uncertainty = layered
        ? summarizePasses(
            await layeredMcDropoutPassesPaced(
              layered,
              grid,
              { samples: o.samples, seed: o.seed },
              paceOf(io),
            ),
          )
        : method === "mc-dropout"
          ? await predictWithUncertaintyPaced(
              net!,
              grid,
              { keepProb, samples: o.samples, seed: o.seed },
              paceOf(io),
            )
          : await ensembleUncertaintyPaced(members, grid, {}, paceOf(io));
      const map = probabilityMap(() => u, view, o.grid);
      const rec = recommend(map, {
        threshold: o.threshold,
        pitch: football ? FOOTBALL_VIEW : undefined,
        data: bundle.train,
      });

      const summary = toJson(rec, football, {
        data: bundle.source,
        synthetic: bundle.synthetic === true,
        model: modelInfo,
        uncertainty:
          method === "mc-dropout"
            ? {
                method,
                samples: o.samples,
                ...(layered
                  ? { dropoutLayers: layered.layers.filter((l) => l.type.includes("dropout")).map(specText) }
                  : { keepProb }),
                maskSeed: o.seed,
                masks: layered
                  ? "one mask per dropout layer per pass (a thinned network), shared by every grid cell"
                  : "one mask over the hidden units per pass (a thinned network), shared by every grid cell",
              }
            : { method, samples: members.length, seeds },
      });
      await stopIfInterrupted(io, "before the results were written");
      phase(io, "write");
      if (o.out) {
        await ensureDir(o.out, "--out");
        const style = boundaryStyle(bundle);
        const svg = plotKickMap(map, rec.zones, {
          threshold: o.threshold,
          membership: zoneMembership(map, rec.zones, o.threshold),
          pitch: football,
          data: bundle.train,
          classNames: style.classNames,
          areaUnit: football ? "m2" : "data",
          metres: football,
          caption: rec.sentence,
          title: football
            ? "Kick map — where French players win the header"
            : "Where class 1 is most reliable",
        });
        // The picture first: recommend.json, the result, is only ever beside its kick map.
        await writeFileAtomic(join(o.out, "kick-map.png"), svgToPng(svg), io.signal);
        await writeFileAtomic(
          join(o.out, "recommend.json"),
          `${JSON.stringify(summary, null, 2)}\n`,
          io.signal,
        );
      }
      if (o.json) {
        io.out(`${JSON.stringify(summary)}\n`);
        return;
      }
      say(
        `Grid: ${o.grid}×${o.grid} cells over x ∈ [${r3(view.xMin)}, ${r3(view.xMax)}], y ∈ [${r3(view.yMin)}, ${r3(view.yMax)}]; ` +
          `cell bounds = ${rec.bounds}\n\n`,
      );
      if (rec.zones.length > 0) {
        say(
          `Zones where the ${Math.round(100 * map.lowQuantile)}th percentile of P(${football ? "French player wins" : "class 1"}) ≥ ${o.threshold}, ranked by area × mean:\n`,
        );
        const head = [
          "zone",
          "aim at (x, y)",
          "centre (x, y)",
          football ? "area (u², m²)" : "area (u²)",
          "mean",
          "95% CI",
          "5–95% of passes",
          "train (class 1/all)",
        ];
        const rows = rec.zones.map((z) => [
          String(z.rank),
          `(${fmtNum(z.target.x, 2)}, ${fmtNum(z.target.y, 2)})`,
          `(${fmtNum(z.centre.x, 2)}, ${fmtNum(z.centre.y, 2)})`,
          football && z.areaSquareMetres !== undefined
            ? `${fmtNum(z.area)}, ${Math.round(z.areaSquareMetres)}`
            : fmtNum(z.area),
          fmtNum(z.meanProbability),
          `${fmtNum(z.interval.low)}–${fmtNum(z.interval.high)}`,
          `${fmtNum(z.spread.low)}–${fmtNum(z.spread.high)}`,
          z.examples ? `${z.examples.class1}/${z.examples.count}` : "—",
        ]);
        say(`${textTable(head, rows)}\n\n`);
      }
      say(`${rec.sentence}\n`);
      if (o.out) say(`\nWrote ${join(o.out, "recommend.json")} and ${join(o.out, "kick-map.png")}\n`);
    });
}

/** recommend.json: the recommendation with where it came from and what its numbers mean. */
function toJson(
  rec: Recommendation,
  football: boolean,
  context: Record<string, unknown>,
): Record<string, unknown> {
  return {
    ...context,
    threshold: rec.threshold,
    bounds: rec.bounds,
    definitions: {
      cellBounds: rec.bounds,
      zone: `4-connected grid cells whose lower bound ≥ ${rec.threshold}`,
      interval:
        "95% confidence interval of the zone's mean probability: mean ± 1.96·sd(p_t)/√T over the passes t",
      spread: "5th–95th percentile of the zone's average probability across the passes",
      ranking: "area × meanProbability, largest first",
      target: "the zone's cell farthest from the zone's edge (among cells with ≥ 3 training examples nearby)",
      units: football
        ? "data units; areaSquareMetres, pitch and clearance in metres, the view box mapped onto a 105 m × 68 m pitch"
        : "data units (clearance too)",
    },
    view: rec.view,
    grid: rec.grid,
    zones: rec.zones,
    sentence: rec.sentence,
  };
}
