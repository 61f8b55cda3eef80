#!/usr/bin/env node
/**
 * Benchmark (not a test): the same sweep through the Redis queue on 1, 2 and 4 `reglab worker`
 * processes (one training thread each), against the local sweep on worker threads, and the
 * per-job overhead of the queue. Starts its own redis-server on a free loopback port (in memory
 * only) and stops it after; Redis is emptied between runs so no run reuses another's results.
 *
 *   npm run build && node bench/queue-scaling.mjs [--iterations 10000] [--workers 1,2,4] [--tiny 200]
 *
 * The sweep is `reglab sweep`'s default grid (9 λ values × 5 folds × 1 seed = 45 runs + the final
 * one) on football.mat, or the built-in stand-in when the file is absent. Every queued result is
 * checked against the local one, bit for bit. The overhead is measured with `--tiny` one-iteration
 * jobs on one worker: (queue seconds − in-process seconds) / jobs. "cores busy" is the CPU time of
 * all the processes over wall time: on a machine shared with other programs it stays below the
 * worker count, and the speed-up with it.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, loadavg } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { generateDataset } from "../dist/data/generators.js";
import { inProcessRunner } from "../dist/experiments/jobs.js";
import { runSweep } from "../dist/experiments/sweep.js";
import { loadDataFile } from "../dist/node/load-data.js";
import { enqueueSweep, queueRunner } from "../dist/node/queue/index.js";
import { workerRunner } from "../dist/node/sweep-pool.js";

const { values } = parseArgs({
  options: {
    iterations: { type: "string", default: "10000" },
    workers: { type: "string", default: "1,2,4" },
    tiny: { type: "string", default: "200" },
    data: { type: "string", default: resolve(import.meta.dirname, "../../shared/datasets/football.mat") },
  },
});
const counts = values.workers.split(",").map(Number);
const bundle = existsSync(values.data) ? await loadDataFile(values.data) : generateDataset("football");
const spec = {
  base: { iterations: Number(values.iterations) },
  lambdas: [0, 0.01, 0.03, 0.1, 0.3, 0.7, 1, 3, 10],
  folds: 5,
  seeds: [3],
};
const cli = resolve(import.meta.dirname, "../dist/cli/main.js");

const port = await new Promise((done) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const p = s.address().port;
    s.close(() => done(p));
  });
});
const redisServer = spawn(
  execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim(),
  ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
  { stdio: ["ignore", "pipe", "inherit"] },
);
await new Promise((done) => {
  let out = "";
  redisServer.stdout.on("data", (d) => {
    out += d;
    if (out.includes("Ready to accept connections")) done();
  });
});
const url = `redis://127.0.0.1:${port}`;
const admin = new Redis(port, "127.0.0.1");

/** Starts n worker processes and resolves once all take jobs. */
async function startWorkers(n) {
  const procs = [];
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, [cli, "worker", "--queue", url, "--concurrency", "1"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    await new Promise((done) => {
      let err = "";
      child.stderr.on("data", (d) => {
        err += d;
        if (err.includes("taking jobs")) done();
      });
    });
    procs.push(child);
  }
  return procs;
}

async function stopWorkers(procs) {
  const exits = procs.map((p) => new Promise((done) => p.once("exit", done)));
  for (const p of procs) p.kill("SIGTERM");
  await Promise.all(exits);
}

/** CPU seconds of a process tree member, from /proc (user + system). */
function cpuSeconds(pid) {
  try {
    const f = execFileSync("cat", [`/proc/${pid}/stat`], { encoding: "utf8" })
      .split(") ")[1]
      .split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

const strip = (r) =>
  JSON.stringify({ ...r, points: r.points.map(({ seconds, ...p }) => p), final: { ...r.final, seconds: 0 } });

console.log(
  `${bundle.source}: ${spec.lambdas.length * spec.folds + 1} runs of ${spec.base.iterations} iterations; ` +
    `${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)}`,
);

let t0 = performance.now();
const local = await runSweep(bundle, spec, { runner: workerRunner(bundle) });
const localSeconds = (performance.now() - t0) / 1000;
console.log(
  `local sweep, ${Math.min(availableParallelism(), 45)} worker threads: ${localSeconds.toFixed(1)} s`,
);

const rows = [];
for (const n of counts) {
  await admin.flushall();
  const procs = await startWorkers(n);
  const cpu0 = procs.map((p) => cpuSeconds(p.pid));
  t0 = performance.now();
  const r = await enqueueSweep(bundle, spec, { url });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = procs.reduce((s, p, i) => s + cpuSeconds(p.pid) - cpu0[i], 0);
  await stopWorkers(procs);
  const same = strip(r) === strip(local);
  rows.push({ n, seconds });
  console.log(
    `queue, ${n} worker process${n > 1 ? "es" : ""}: ${seconds.toFixed(1)} s, ` +
      `speed-up ${(rows[0].seconds / seconds).toFixed(2)}× over 1, cores busy ${(cpu / seconds).toFixed(2)}, ` +
      `${same ? "same result as local" : "RESULT DIFFERS FROM LOCAL"}`,
  );
}

// Overhead: one-iteration jobs, in this thread and through the queue on one worker.
const tiny = Number(values.tiny);
const jobs = Array.from({ length: tiny }, (_, i) => ({
  id: i,
  config: { iterations: 1, seed: i },
  train: { set: "train" },
  score: { train: { set: "train" } },
}));
t0 = performance.now();
await inProcessRunner(bundle)(jobs);
const inProcess = (performance.now() - t0) / 1000;
await admin.flushall();
const procs = await startWorkers(1);
const runner = queueRunner(bundle, { url });
await runner([{ ...jobs[0], config: { iterations: 1, seed: 1e6 } }]); // connect, upload and warm up
t0 = performance.now();
await runner(jobs);
const queued = (performance.now() - t0) / 1000;
await runner.close();
await stopWorkers(procs);
console.log(
  `overhead: ${tiny} one-iteration jobs take ${((1000 * inProcess) / tiny).toFixed(2)} ms each in process, ` +
    `${((1000 * queued) / tiny).toFixed(2)} ms each through the queue on 1 worker: ` +
    `${((1000 * (queued - inProcess)) / tiny).toFixed(2)} ms of queue per job`,
);

admin.disconnect();
redisServer.kill("SIGTERM");
