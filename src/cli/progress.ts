import { SingleBar } from "cli-progress";
import type { Callback, TrainOptions } from "../index.js";
import type { Io } from "./runtime.js";

export interface ProgressOptions {
  label: string;
  /** Print the seed's "Cost after iteration i: c" lines every this many iterations (0 = never). */
  costLinesEvery: number;
  /** Where those lines go: stdout normally, stderr when stdout carries JSON. */
  costLinesTo: "out" | "err";
  quiet?: boolean;
  /** Without a terminal, print a line each time this fraction of the run is done. */
  lineFraction?: number;
}

/**
 * Progress for long runs: a bar on a terminal (stderr), plain lines every 10 % otherwise, and the
 * seed's cost lines.
 */
export function progressCallback(io: Io, o: ProgressOptions): Callback {
  const print = o.costLinesTo === "out" ? io.out : io.err;
  let bar: SingleBar | undefined;
  let tenth = 0;
  let lastCost = Number.NaN;
  return {
    onTrainBegin(ctx) {
      if (o.quiet) return;
      if (io.errIsTTY && io.errStream) {
        bar = new SingleBar({
          stream: io.errStream,
          format: `${o.label} [{bar}] {percentage}% | {value}/{total} it | cost {cost} | eta {eta}s`,
          barsize: Math.max(10, Math.min(30, io.errColumns - 70)),
          hideCursor: true,
          clearOnComplete: true,
          fps: 10,
        });
        bar.start(ctx.iterations, 0, { cost: "…" });
      }
      tenth = Math.max(1, Math.floor(ctx.iterations * (o.lineFraction ?? 0.1)));
    },
    onCostRecorded(_ctx, i, cost) {
      lastCost = cost;
      // On stderr (beside --json) the cost lines are progress, and --quiet silences progress.
      if (o.quiet && o.costLinesTo === "err") return;
      if (o.costLinesEvery > 0 && i % o.costLinesEvery === 0) {
        if (bar) io.err("\r\x1b[2K");
        print(`Cost after iteration ${i}: ${cost}\n`);
      }
    },
    onIterationEnd(ctx, i) {
      if (o.quiet) return;
      const done = i + 1;
      if (bar) {
        if (done % 100 === 0 || done === ctx.iterations) bar.update(done, { cost: lastCost.toFixed(4) });
      } else if (done % tenth === 0 && done < ctx.iterations) {
        io.err(
          `${o.label}: ${done}/${ctx.iterations} iterations, last recorded cost ${lastCost.toFixed(4)}\n`,
        );
      }
    },
    onTrainEnd() {
      bar?.stop();
    },
  };
}

/**
 * Training options for one of several runs of a command: progress on stderr (no cost lines),
 * Ctrl+C and the event loop wired to the CLI's Io.
 */
export function runOptions(io: Io, label: string, quiet = false, lineFraction = 0.5): TrainOptions {
  return {
    callbacks: [progressCallback(io, { label, costLinesEvery: 0, costLinesTo: "err", quiet, lineFraction })],
    signal: io.signal,
    yieldControl: io.pause,
    now: io.now,
  };
}
