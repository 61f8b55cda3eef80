/**
 * The worker's training threads: the same worker script as the local sweep pool (sweep-worker.js),
 * each thread holding one dataset. A job goes to an idle thread that already has its dataset, or a
 * new one; a thread whose job is abandoned (handed back on shutdown) is terminated mid-run.
 */
import { Worker } from "node:worker_threads";
import type { DataBundle } from "../../data/dataset.js";
import type { FitJob, FitJobResult } from "../../experiments/jobs.js";
import { workerScript } from "../sweep-pool.js";
import type { WorkerReply } from "../sweep-worker.js";

/** The job threw inside the engine: the same job fails the same way anywhere. */
export class EngineError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The job was stopped before it finished (shutdown). */
export class AbandonedError extends Error {
  override name = "AbandonedError";
}

interface Slot {
  thread: Worker;
  dataset: string;
  busy: boolean;
  /** Settles the running job when the thread dies or is stopped. */
  settle?: (error: Error) => void;
}

export class TrainingThreads {
  private readonly slots: Slot[] = [];
  private nextId = 0;

  constructor(
    private readonly size: number,
    private readonly script: URL = workerScript(),
  ) {}

  /** Runs `job` on a thread holding dataset `hash`; aborting `signal` terminates that thread. */
  run(
    hash: string,
    bundle: DataBundle,
    job: Omit<FitJob, "id">,
    signal?: AbortSignal,
  ): Promise<FitJobResult> {
    const slot = this.slotFor(hash, bundle);
    slot.busy = true;
    const id = this.nextId++;
    return new Promise<FitJobResult>((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener("abort", onAbort);
        slot.thread.off("message", onMessage);
        slot.settle = undefined;
        slot.busy = false;
      };
      const onMessage = (reply: WorkerReply) => {
        if (reply.id !== id) return;
        done();
        if (reply.result) resolve(reply.result);
        else reject(new EngineError(reply.error?.name ?? "Error", reply.error?.message ?? "no result"));
      };
      const onAbort = () => {
        this.drop(slot);
        done();
        reject(new AbandonedError("stopped before it finished"));
      };
      slot.settle = (e) => {
        done();
        reject(e);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      slot.thread.on("message", onMessage);
      slot.thread.postMessage({ ...job, id });
    });
  }

  private slotFor(hash: string, bundle: DataBundle): Slot {
    const idle = this.slots.filter((s) => !s.busy);
    const same = idle.find((s) => s.dataset === hash);
    if (same) return same;
    // Room for a new thread, or retire an idle one that holds another dataset.
    if (this.slots.length >= this.size) {
      if (idle.length === 0) throw new Error("more jobs than training threads");
      this.drop(idle[0]);
    }
    const thread = new Worker(this.script, { workerData: { bundle }, execArgv: [] });
    const slot: Slot = { thread, dataset: hash, busy: false };
    const died = (why: string) => {
      this.forget(slot);
      slot.settle?.(new Error(`a training thread ${why}`));
    };
    thread.on("error", (e) => died(`failed: ${e instanceof Error ? e.message : String(e)}`));
    thread.on("exit", (code) => died(`exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private forget(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private drop(slot: Slot): void {
    this.forget(slot);
    slot.thread.removeAllListeners("exit");
    slot.thread.removeAllListeners("error");
    slot.thread.on("error", () => {});
    void slot.thread.terminate();
  }

  async close(): Promise<void> {
    const threads = this.slots.splice(0).map((s) => s.thread);
    for (const t of threads) t.removeAllListeners("exit");
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
