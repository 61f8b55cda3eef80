/**
 * More cores for one run: helper threads, each with its own instance of the kernel module on the
 * WebAssembly memory the trainer's kernels use (shared), take a share of a blocked product's
 * output columns. Each output value is computed whole by one thread with the same code, so the
 * result has the same bits for any number of threads.
 *
 * The protocol lives here and is plain ECMAScript (SharedArrayBuffer views and Atomics), so the
 * engine stays free of Node and the DOM: whoever runs the engine starts the threads (src/node
 * with worker_threads; a page's worker with Web Workers) and has each call serveKernelCalls.
 * Each helper has a control block in the shared memory: request and done counters, the function
 * to run and its arguments. The caller blocks in Atomics.wait until its helpers are done, which
 * Node allows on its main thread and browsers allow in workers (where the playground trains).
 */
import { kernelModuleBytes } from "./kernel-module.js";

/** The parts of the WebAssembly API the helpers use, typed locally (no DOM or Node typings). */
export interface SharedWasmMemory {
  readonly buffer: ArrayBufferLike;
}
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

/**
 * What a helper thread needs: the shared memory, where its control block lies, and whether the
 * kernels' f32 tiles use relaxed-SIMD FMA (its module must match the caller's).
 */
export interface HelperInit {
  readonly memory: SharedWasmMemory;
  readonly control: number;
  readonly fma: boolean;
}

/**
 * Starts one helper thread that calls serveKernelCalls(init) — e.g. a worker_threads Worker
 * given `init` as its workerData. It must not wait for the caller's event loop: the caller
 * blocks until the helper reports ready.
 */
export type SpawnHelper = (init: HelperInit) => void;

/** Bytes of one helper's control block. */
export const CONTROL_BYTES = 256;
const REQUEST = 0;
const DONE = 1;
const FUNCTION = 2;
const ARG_COUNT = 3;
/** Arguments start 16 bytes in, as doubles (exact for every i32 argument). */
const ARGS = 2;
const MAX_ARGS = (CONTROL_BYTES - 16) / 8;
const STOP = -1;
/** The functions a helper can run, by number. */
export const HELPER_FUNCTIONS = [
  "blockedDense",
  "blockedWeights",
  "blockedDense32",
  "blockedWeights32",
] as const;
export type HelperFunction = (typeof HELPER_FUNCTIONS)[number];

/** How long the caller waits for a helper to start before giving up. */
const START_TIMEOUT_MS = 30_000;

/** Runs in a helper thread: instantiates the kernels on the shared memory and serves calls. */
export function serveKernelCalls(init: HelperInit): void {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const module = new api.Module(kernelModuleBytes(true, init.fma));
  const { exports } = new api.Instance(module, { env: { memory: init.memory } });
  const functions = HELPER_FUNCTIONS.map((name) => exports[name] as (...args: number[]) => void);
  const control = new Int32Array(init.memory.buffer, init.control, 4);
  const args = new Float64Array(init.memory.buffer, init.control, CONTROL_BYTES / 8);
  let seen = Atomics.load(control, REQUEST);
  Atomics.store(control, DONE, seen);
  Atomics.notify(control, DONE);
  // Stopped before it started (a browser starts workers late): nothing to serve.
  if (seen > 0 && control[FUNCTION] === STOP) return;
  for (;;) {
    Atomics.wait(control, REQUEST, seen);
    seen = Atomics.load(control, REQUEST);
    const which = control[FUNCTION];
    if (which === STOP) return;
    const list = Array.from(args.subarray(ARGS, ARGS + control[ARG_COUNT]));
    functions[which](...list);
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
  }
}

/** The caller's side: starts helpers, hands them calls, waits for them. */
export class HelperPool {
  private readonly controls: Int32Array[] = [];
  private readonly args: Float64Array[] = [];
  /** Calls started per helper (its REQUEST counter). */
  private readonly requests: number[] = [];

  /** Helpers known to have started, from the first (each reports in before serving). */
  private started = 0;

  /**
   * `count` helpers whose control blocks start at byte `control` of `memory`; `fma` as in
   * HelperInit. With `wait`, blocks until all have started (Node starts a worker_threads Worker at
   * once). Without it, products go to the helpers that have started so far: a browser starts a
   * worker's Web Workers only when it yields to its event loop, so waiting there would never end.
   */
  constructor(
    memory: SharedWasmMemory,
    control: number,
    readonly count: number,
    spawn: SpawnHelper,
    fma = false,
    wait = true,
  ) {
    for (let h = 0; h < count; h++) {
      const at = control + h * CONTROL_BYTES;
      const words = new Int32Array(memory.buffer, at, 4);
      words[DONE] = -1;
      this.controls.push(words);
      this.args.push(new Float64Array(memory.buffer, at, CONTROL_BYTES / 8));
      this.requests.push(0);
      spawn({ memory, control: at, fma });
    }
    if (!wait) return;
    for (const words of this.controls) {
      if (Atomics.wait(words, DONE, -1, START_TIMEOUT_MS) === "timed-out") {
        throw new Error("a kernel helper thread did not start");
      }
    }
    this.started = count;
  }

  /** How many helpers (the first ones) can take calls now. */
  ready(): number {
    while (this.started < this.count && Atomics.load(this.controls[this.started], DONE) !== -1)
      this.started++;
    return this.started;
  }

  /** Starts `name(...args)` on helper h; `join` waits for it. */
  start(h: number, name: HelperFunction, args: readonly number[]): void {
    if (args.length > MAX_ARGS) throw new RangeError(`too many arguments for ${name}`);
    const words = this.controls[h];
    this.args[h].set(args, ARGS);
    words[FUNCTION] = HELPER_FUNCTIONS.indexOf(name);
    words[ARG_COUNT] = args.length;
    Atomics.store(words, REQUEST, ++this.requests[h]);
    Atomics.notify(words, REQUEST);
  }

  /** Waits until the first `helpers` helpers have finished the calls they were last given. */
  join(helpers: number): void {
    for (let h = 0; h < helpers; h++) {
      const words = this.controls[h];
      for (;;) {
        const done = Atomics.load(words, DONE);
        if (done === this.requests[h]) break;
        Atomics.wait(words, DONE, done);
      }
    }
  }

  /** Ends the helpers' loops (their threads then finish). */
  stop(): void {
    for (const [h, words] of this.controls.entries()) {
      words[FUNCTION] = STOP;
      Atomics.store(words, REQUEST, ++this.requests[h]);
      Atomics.notify(words, REQUEST);
    }
  }
}
