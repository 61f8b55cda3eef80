import { SingleBar } from "cli-progress";
import type { Callback, TrainOptions } from "../index.js";
import type { Io } from "./runtime.js";

/** Without a terminal, a progress line at least this often (milliseconds). */
export const PIPE_LINE_MS = 10_000;

export interface ProgressOptions {
  label: string;
  /** Print the article's "Cost after iteration i: c" lines every this many iterations (0 = never). */
  costLinesEvery: number;
  /** Where those lines go: stdout normally, stderr when stdout carries JSON. */
  costLinesTo: "out" | "err";
  quiet?: boolean;
  /** Without a terminal, print a line each time this fraction of the run is done. */
  lineFraction?: number;
  /** Without a terminal, print a line at least this often, in milliseconds (default PIPE_LINE_MS). */
  lineMs?: number;
  /** Part of a series of runs (compare's models): its place and the series' total ETA. */
  series?: SeriesPlace;
}

/** A run's index in its series and, if not the series' own "model k of N", how to name its place. */
export interface SeriesPlace {
  series: RunSeries;
  index: number;
  place?: string;
}

/** "42 s", "3m 05s", "1h 02m". */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "…";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * Every run of a command (compare's models, its other seeds on worker threads, the max-norm
 * sweep; cross-validation's folds): how many are done of all N and an ETA for all of them, from
 * the iterations done so far and the time they took. Runs trained here report every iteration;
 * runs finished elsewhere (workers, a queue) count when their result comes in.
 */
export class RunSeries {
  private readonly iterations: number[];
  private readonly done: number[];
  private readonly ended: boolean[];
  private start = Number.NaN;
  private lastLine = Number.NaN;
  /** A run trained here is drawing its own progress (a bar on a terminal). */
  private busy = false;
  private step = 1;
  /** Runs handed to workers and not yet back, and how many of them run at once. */
  private readonly away = new Set<number>();
  private workers = 0;
  private awayDone = 0;

  constructor(
    private readonly io: Io,
    /** Iterations each run is expected to take, in order. */
    iterations: readonly number[],
    /** "model" or "run". */
    readonly noun = "model",
    /** Prefix of the series' own lines ("compare"). */
    readonly label = "",
    private readonly quiet = false,
  ) {
    this.iterations = [...iterations];
    this.done = iterations.map(() => 0);
    this.ended = iterations.map(() => false);
    this.step = Math.max(1, Math.round(iterations.length / 10));
  }

  get count(): number {
    return this.iterations.length;
  }

  /** Runs finished so far, here or elsewhere. */
  get finished(): number {
    return this.ended.filter(Boolean).length;
  }

  private begin(): void {
    if (Number.isNaN(this.start)) {
      this.start = this.io.now();
      this.lastLine = this.start;
    }
  }

  /** Records that run `index` (trained here) has done `done` of its `total` iterations. */
  update(index: number, done: number, total: number): void {
    this.begin();
    this.busy = done < total;
    this.iterations[index] = total;
    this.done[index] = done;
  }

  /** A run trained here ended (early stopping: its remaining iterations will never come). */
  finish(index: number): void {
    this.busy = false;
    this.complete(index, this.done[index]);
  }

  /**
   * Runs `indices` went to `workers` worker threads (or a queue): until the first of them comes
   * back, the ETA assumes each worker goes as fast as the run trained here.
   */
  dispatched(indices: readonly number[], workers: number): void {
    this.begin();
    for (const i of indices) this.away.add(i);
    this.workers = workers;
  }

  /** Run `index` finished after `iterationsRun` iterations (here or on a worker). */
  complete(index: number, iterationsRun: number): void {
    this.begin();
    if (this.away.delete(index)) this.awayDone++;
    this.iterations[index] = iterationsRun;
    this.done[index] = iterationsRun;
    if (this.ended[index]) return;
    this.ended[index] = true;
    const k = this.finished;
    if (!this.io.errIsTTY && (k % this.step === 0 || k === this.count)) this.line();
  }

  /** "model 3 of 7" */
  place(index: number): string {
    return `${this.noun} ${index + 1} of ${this.count}`;
  }

  /** Seconds left for the whole series, or NaN before any iteration is done. */
  eta(): number {
    const done = this.done.reduce((a, b) => a + b, 0);
    const total = this.iterations.reduce((a, b) => a + b, 0);
    const elapsed = (this.io.now() - this.start) / 1000;
    if (!(done > 0) || !(elapsed > 0)) return Number.NaN;
    // Before any worker reports, only this thread's iterations are counted, yet the workers
    // go on beside it: as many runs at once as workers busy (and this one), each about as fast.
    const atOnce = this.awayDone === 0 ? (this.busy ? 1 : 0) + Math.min(this.workers, this.away.size) : 1;
    return ((elapsed / done) * (total - done)) / Math.max(1, atOnce);
  }

  /** "5 of 12 runs done, eta 40 s" */
  summary(): string {
    return `${this.finished} of ${this.count} runs done, all: eta ${clock(this.eta())}`;
  }

  /** A progress line of a run trained here was printed: the series' own line can wait. */
  noteLine(): void {
    this.lastLine = this.io.now();
  }

  /** The series' own line: "compare: run 5 of 12 done, 1m 02s elapsed, eta 40 s". */
  private line(): void {
    if (this.quiet) return;
    const now = this.io.now();
    this.lastLine = now;
    const elapsed = Number.isNaN(this.start) ? 0 : (now - this.start) / 1000;
    const head = this.label ? `${this.label}: ` : "";
    this.io.err(
      `${head}run ${this.finished} of ${this.count} done, ${clock(elapsed)} elapsed, eta ${clock(this.eta())}\n`,
    );
  }

  /**
   * Called by `watch`'s timer (and tests): while nothing trains here (the other seeds' workers,
   * the sweep), a line on a pipe when none came for `lineMs`; a status line kept in place on a
   * terminal.
   */
  tick(lineMs = PIPE_LINE_MS): void {
    if (this.quiet || this.busy) return;
    if (this.io.errIsTTY) {
      const head = this.label ? `${this.label}: ` : "";
      this.io.err(`\r\x1b[2K${head}${this.summary()}`);
      return;
    }
    if (this.io.now() - this.lastLine >= lineMs) this.line();
  }

  /** Ticks every second until the returned function is called (it clears a terminal's status line). */
  watch(lineMs = PIPE_LINE_MS): () => void {
    this.begin();
    const timer = setInterval(() => this.tick(lineMs), 1000);
    timer.unref?.();
    return () => {
      clearInterval(timer);
      if (this.io.errIsTTY && !this.quiet) this.io.err("\r\x1b[2K");
    };
  }
}

/**
 * Progress for long runs: a bar on a terminal (stderr); otherwise plain lines with the iteration,
 * the time elapsed and an ETA, every `lineFraction` of the run and at least every 10 s; and the
 * article's cost lines.
 */
export function progressCallback(io: Io, o: ProgressOptions): Callback {
  const print = o.costLinesTo === "out" ? io.out : io.err;
  const lineMs = o.lineMs ?? PIPE_LINE_MS;
  const series = o.series;
  const label = series ? `${o.label} (${series.place ?? series.series.place(series.index)})` : o.label;
  let bar: SingleBar | undefined;
  let step = 0;
  let lastCost = Number.NaN;
  let start = 0;
  let lastLine = 0;
  const total = () => (series ? `; ${series.series.summary()}` : "");
  return {
    onTrainBegin(ctx) {
      start = io.now();
      lastLine = start;
      series?.series.update(series.index, 0, ctx.iterations);
      if (o.quiet) return;
      if (io.errIsTTY && io.errStream) {
        bar = new SingleBar({
          stream: io.errStream,
          format: `${label} [{bar}] {percentage}% | {value}/{total} it | cost {cost} | eta {eta_formatted}{all}`,
          barsize: Math.max(10, Math.min(30, io.errColumns - 90)),
          hideCursor: true,
          clearOnComplete: true,
          fps: 10,
        });
        bar.start(ctx.iterations, 0, { cost: "…", all: "" });
      }
      step = Math.max(1, Math.floor(ctx.iterations * (o.lineFraction ?? 0.1)));
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
      const done = i + 1;
      series?.series.update(series.index, done, ctx.iterations);
      if (o.quiet) return;
      if (bar) {
        if (done % 100 === 0 || done === ctx.iterations)
          bar.update(done, { cost: lastCost.toFixed(4), all: total() });
        return;
      }
      if (done >= ctx.iterations) return;
      const now = io.now();
      if (done % step !== 0 && now - lastLine < lineMs) return;
      lastLine = now;
      series?.series.noteLine();
      const elapsed = (now - start) / 1000;
      const eta = (elapsed / done) * (ctx.iterations - done);
      io.err(
        `${label}: ${done}/${ctx.iterations} iterations, ${clock(elapsed)} elapsed, eta ${clock(eta)}${total()}, ` +
          `last recorded cost ${lastCost.toFixed(4)}\n`,
      );
    },
    onTrainEnd() {
      series?.series.finish(series.index);
      bar?.stop();
    },
  };
}

/**
 * Training options for one of several runs of a command: progress on stderr (no cost lines),
 * Ctrl+C and the event loop wired to the CLI's Io; `series` places the run among the others.
 */
export function runOptions(
  io: Io,
  label: string,
  quiet = false,
  lineFraction = 0.5,
  series?: SeriesPlace,
): TrainOptions {
  return {
    callbacks: [
      progressCallback(io, {
        label,
        costLinesEvery: 0,
        costLinesTo: "err",
        quiet,
        lineFraction,
        ...(series && { series }),
      }),
    ],
    signal: io.signal,
    yieldControl: io.pause,
    now: io.now,
  };
}

/**
 * Progress over runs finished elsewhere (a sweep's worker threads): a bar on a terminal;
 * otherwise "run k of N done" lines with elapsed time and an ETA every 10 % of the runs and, while
 * runs are slow, at least every 10 s.
 */
export function runProgress(io: Io, label: string, quiet: boolean | undefined, lineMs = PIPE_LINE_MS) {
  let bar: SingleBar | undefined;
  let step = 1;
  let start = 0;
  let done = 0;
  let total = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const line = () => {
    const elapsed = (io.now() - start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : Number.NaN;
    io.err(`${label}: run ${done} of ${total} done, ${clock(elapsed)} elapsed, eta ${clock(eta)}\n`);
  };
  return {
    start(n: number) {
      total = n;
      start = io.now();
      if (quiet) return;
      if (io.errIsTTY && io.errStream) {
        bar = new SingleBar({
          stream: io.errStream,
          format: `${label} [{bar}] {value}/{total} runs | eta {eta_formatted}`,
          barsize: Math.max(10, Math.min(30, io.errColumns - 50)),
          hideCursor: true,
          clearOnComplete: true,
        });
        bar.start(total, 0);
        return;
      }
      step = Math.max(1, Math.round(total / 10));
      timer = setInterval(line, lineMs);
      timer.unref?.();
    },
    tick(d: number, n: number) {
      done = d;
      total = n;
      if (quiet) return;
      if (bar) bar.update(d);
      else if (d % step === 0 || d === n) {
        line();
        timer?.refresh();
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      bar?.stop();
    },
  };
}
