/**
 * How a long engine loop stays interruptible without timers of its own: the caller hands in an
 * abort flag and a way to yield (in Node, a macrotask, so a SIGINT handler can run), and the loop
 * yields whenever about `sliceMs` of work has passed — by time, not by a count of steps, so a
 * loop of slow steps yields as often as one of fast steps — and stops at the next unit of work
 * once the flag is up, throwing Interrupted.
 */

/** Stopped from outside (Ctrl-C, SIGTERM, an AbortSignal) before it finished: never a result. */
export class Interrupted extends Error {
  override name = "Interrupted";
  constructor(
    message: string,
    /** What was left behind, for the user: by default nothing. */
    readonly leftBehind = "no result was written",
  ) {
    super(message);
  }
}

/** What a long loop needs from its caller to be stopped; every field optional. */
export interface Pace {
  /** Checked between units of work: once aborted, the loop throws Interrupted. */
  signal?: { readonly aborted: boolean };
  /** Awaited after about `sliceMs` of work so the caller's event loop can run. */
  yieldControl?: () => Promise<void>;
  /** Milliseconds from some origin; defaults to Date.now. */
  now?: () => number;
  /** Work between yields, milliseconds; default 50. */
  sliceMs?: number;
}

/** Default work between two yields: short enough for a prompt Ctrl-C, long enough to cost nothing. */
export const SLICE_MS = 50;

/**
 * Paces one loop: `await pacer.tick(done)` after each unit of work. Reading the clock costs tens
 * of nanoseconds, so ticks after every unit are fine even for microsecond units.
 */
export class Pacer {
  private readonly now: () => number;
  private readonly slice: number;
  private last: number;

  constructor(
    private readonly pace: Pace,
    /** The message of the Interrupted error, given the units done so far. */
    private readonly stopped: (done: number) => string,
  ) {
    this.now = pace.now ?? Date.now;
    this.slice = pace.sliceMs ?? SLICE_MS;
    this.last = this.now();
  }

  /** Throws Interrupted when aborted. */
  check(done: number): void {
    if (this.pace.signal?.aborted) throw new Interrupted(this.stopped(done));
  }

  /** Yields when a slice of work has passed, then checks the flag (which a yield may have raised). */
  async tick(done: number): Promise<void> {
    const yieldControl = this.pace.yieldControl;
    if (yieldControl && this.now() - this.last >= this.slice) {
      await yieldControl();
      this.last = this.now();
    }
    this.check(done);
  }
}

/**
 * A loop written once as a generator that yields after each unit of work, run either at once
 * (`runSteps`) or paced (`runStepsPaced`): the synchronous API and the interruptible one share
 * every line, so they compute the same bits.
 */
export type Steps<T> = Generator<void, T, void>;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export async function runStepsPaced<T>(
  steps: Steps<T>,
  pace: Pace,
  stopped: (done: number) => string,
): Promise<T> {
  const pacer = new Pacer(pace, stopped);
  pacer.check(0);
  for (let done = 1; ; done++) {
    const r = steps.next();
    if (r.done) return r.value;
    await pacer.tick(done);
  }
}
