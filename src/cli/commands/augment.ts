import type { Command } from "commander";
import { augmentExample, drawIndices, Pacer, plotImageGrid, RandomState } from "../../index.js";
import { type AugmentOptionValues, addAugmentOptions, applyAugmentation } from "../augment-options.js";
import { addDataOptions, type DataOptionValues, describeBundle, loadBundle } from "../data-options.js";
import { checkOutputPath, writeFigure } from "../output.js";
import { positiveInteger, seedNumber } from "../parse.js";
import { type Io, paceOf, phase, stopIfInterrupted, UsageError } from "../runtime.js";

interface AugmentCommandOptions extends DataOptionValues, AugmentOptionValues {
  preview: string;
  examples: number;
  samples: number;
  seed: number;
}

export function registerAugment(program: Command, io: Io): void {
  const cmd = program
    .command("augment")
    .summary("draw originals beside augmented samples")
    .description(
      "Shows what an --augment spec does to the training images: each row an original, then samples.",
    );
  addDataOptions(cmd);
  addAugmentOptions(cmd);
  cmd
    .requiredOption("--preview <file>", "the grid of images, .png or .svg")
    .option("--examples <n>", "rows: training images drawn at random", positiveInteger, 6)
    .option("--samples <k>", "augmented samples beside each original", positiveInteger, 5)
    .option("--seed <n>", "seed of the draws", seedNumber, 0)
    .addHelpText(
      "after",
      `
Examples:
  $ reglab augment --data train_catvnoncat.h5 --augment flip,crop:4 --preview cats.png
  $ reglab augment --dataset digits --digits 3,8 --augment elastic:alpha=34,sigma=4 --preview digits.png`,
    )
    .action(async (o: AugmentCommandOptions, command: Command) => {
      if (!o.augment) throw new UsageError("augment needs --augment SPEC, e.g. --augment flip,crop:4");
      checkOutputPath(o.preview, "--preview", [".png", ".svg"]);
      phase(io, "load");
      const bundle = await loadBundle(o);
      const train = bundle.train;
      const shape = train.shape;
      if (!shape) throw new UsageError(`--preview needs images; ${bundle.source} has plain features`);
      applyAugmentation(o, train, o.seed, command);
      const rng = new RandomState(o.seed);
      const m = train.X.cols;
      const nx = train.X.rows;
      const picked = drawIndices(m, Math.min(o.examples, m), rng);
      await stopIfInterrupted(io, "before the preview");
      phase(io, "preview");
      const pacer = new Pacer(paceOf(io), (k) => `interrupted at preview row ${k} of ${picked.length}`);
      const rows: Float64Array[][] = [];
      for (const j of picked) {
        const x = new Float64Array(nx);
        for (let f = 0; f < nx; f++) x[f] = train.X.data[f * m + j];
        const row: Float64Array[] = [x];
        for (let k = 0; k < o.samples; k++) row.push(augmentExample(x, shape, o.augment.transforms, rng));
        rows.push(row);
        await pacer.tick(rows.length);
      }
      const columns = ["original", ...Array.from({ length: o.samples }, (_, k) => `sample ${k + 1}`)];
      const svg = plotImageGrid(rows, shape, { title: `--augment ${o.augment.spec}`, columns });
      await stopIfInterrupted(io, "before the preview was written");
      await writeFigure(o.preview, svg, io.signal);
      io.out(`Data: ${describeBundle(bundle)}\n`);
      io.out(`Wrote ${rows.length} originals with ${o.samples} augmented samples each to ${o.preview}\n`);
    });
}
