/**
 * Worker-thread entry for the job pool (sweep-pool.ts): receives the data bundle once, then runs
 * one job per message with the engine's `runFitJob` and posts the result back.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { DataBundle } from "../data/dataset.js";
import { DataResolver, type FitJob, runFitJob } from "../experiments/jobs.js";

export interface WorkerReply {
  id: number;
  result?: Awaited<ReturnType<typeof runFitJob>>;
  error?: { name: string; message: string; stack?: string };
}

const port = parentPort;
if (!port) throw new Error("sweep-worker.js runs as a worker thread (see sweep-pool.ts)");
const data = new DataResolver(workerData.bundle as DataBundle);

port.on("message", async (job: FitJob) => {
  let reply: WorkerReply;
  try {
    reply = { id: job.id, result: await runFitJob(data, job) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { id: job.id, error: { name: err.name, message: err.message, stack: err.stack } };
  }
  port.postMessage(reply);
});
