import { Interrupted, type Pace } from "../index.js";
import { HEARTBEAT_MS, STOPPING } from "./supervisor.js";

/**
 * Everything the CLI needs from the process, in one place: commands receive an `Io` so tests can
 * run them in-process and capture what they print.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal that takes colour (a TTY and NO_COLOR unset); absent = no colour. */
  readonly outColor?: boolean;
  /** Whether stderr is a terminal (progress bars) and its width. */
  readonly errIsTTY: boolean;
  readonly errColumns: number;
  /** The stderr stream itself, for a progress bar; absent in tests. */
  readonly errStream?: NodeJS.WritableStream;
  /** Awaited now and then during long loops so signals and output can be handled. */
  pause(): Promise<void>;
  /** Milliseconds, monotonic. */
  now(): number;
  readonly signal: AbortSignal;
  /**
   * Test hook: called as each long phase of a command starts (processIo prints "phase: NAME" on
   * stderr when REGLAB_PHASE_MARKERS=1), so a test can interrupt a phase when it starts, not after
   * a guessed delay.
   */
  phase?(name: string): void;
}

/** Says a long phase starts (see Io.phase). */
export function phase(io: Io, name: string): void {
  io.phase?.(name);
}

/** The Io as the engine's Pace: its long loops yield to this event loop and stop on Ctrl-C. */
export function paceOf(io: Io): Pace {
  return { signal: io.signal, yieldControl: io.pause, now: io.now };
}

/**
 * Between phases: lets a pending Ctrl-C be seen, and stops if there was one. `next` names what
 * would have come, e.g. "before the results were written".
 */
export async function stopIfInterrupted(io: Io, next: string): Promise<void> {
  await io.pause();
  if (io.signal.aborted) throw new Interrupted(`interrupted ${next}`);
}

/**
 * A command ran and reported its outcome, and the outcome is a failure (e.g. `reglab check` found
 * a problem): exit with `code` and print nothing more.
 */
export class ExitStatus extends Error {
  override name = "ExitStatus";
  constructor(readonly code: number) {
    super(`exit status ${code}`);
  }
}

/** Bad usage or bad input: exit code 2 and one line on stderr. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function processIo(): Io {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) return;
    controller.abort();
    // Under the supervisor (supervisor.ts): this process has seen the signal and stops by itself;
    // while its event loop keeps turning (writing a checkpoint, say) it says so, and is waited for.
    const alive = () => {
      if (process.connected) process.send?.(STOPPING, () => {});
    };
    alive();
    if (process.connected) setInterval(alive, HEARTBEAT_MS).unref();
  };
  // The first Ctrl-C (or SIGTERM) asks the command to stop cleanly; a second one kills it.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  if (process.send) {
    // The supervisor passes on a signal sent to it; its end (killed itself?) is a stop too.
    process.on("message", (m: { signal?: unknown }) => {
      if (m?.signal) stop();
    });
    process.on("disconnect", stop);
    process.channel?.unref();
  }
  // `reglab … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    outColor: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    errIsTTY: Boolean(process.stderr.isTTY),
    errColumns: process.stderr.columns ?? 80,
    errStream: process.stderr,
    pause: () => new Promise((resolve) => setImmediate(resolve)),
    now: () => performance.now(),
    signal: controller.signal,
    ...(process.env.REGLAB_PHASE_MARKERS === "1" && {
      phase: (name: string) => process.stderr.write(`phase: ${name}\n`),
    }),
  };
}
