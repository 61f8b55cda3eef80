import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDataset } from "../../src/data/generators.js";
import { runSweep, type SweepResult, type SweepSpec } from "../../src/experiments/sweep.js";
import { mnistDirectory } from "../../src/node/digits.js";
import { enqueueSweep } from "../../src/node/queue/index.js";
import { cli } from "../support/io.js";
import { startWorker, type WorkerProcess } from "../support/queue-workers.js";
import { NO_REDIS_REASON, REDIS_SERVER, type RedisInstance, startRedis } from "../support/redis.js";

// Workers are `reglab worker` processes from dist/ (npm test builds first; run `npm run build`
// before this file on its own). Each file starts its own redis-server and stops it after.
const bundle = generateDataset("football");
const HAS_MNIST = mnistDirectory() !== undefined;

/** Everything the sweep reports except timings, which differ from run to run. */
function withoutTimes(r: SweepResult) {
  const { seconds: _, ...final } = r.final;
  return { ...r, points: r.points.map(({ seconds: _s, ...p }) => p), final };
}

/** A --json sweep or compare without its timings. */
function jsonWithoutTimes(out: string): unknown {
  return JSON.parse(out, (key, v) => (key === "seconds" ? undefined : v));
}

describe.skipIf(!REDIS_SERVER)("sweeps on the queue", () => {
  let redis: RedisInstance;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
  });

  it("gives the local sweep's table, winner and test score bit for bit through two worker processes", async () => {
    workers = [startWorker(redis.url, "--concurrency", "1"), startWorker(redis.url, "--concurrency", "1")];
    const spec: SweepSpec = {
      base: { iterations: 400 },
      lambdas: [0, 0.3, 3],
      keepProbs: [0.8, 1],
      folds: 3,
      seeds: [3, 4],
    };
    const local = await runSweep(bundle, spec);
    const progress: number[] = [];
    const queued = await enqueueSweep(bundle, spec, {
      url: redis.url,
      onProgress: (p) => progress.push(p.done),
    });
    expect(withoutTimes(queued)).toStrictEqual(withoutTimes(local));
    // Both workers took part.
    for (const w of workers) expect(w.log()).toMatch(/job fit-\w+ done/);
    expect(progress.at(-1)).toBe(1);

    // Again: every run is found done, none is queued twice, and the result is the same.
    let reused = -1;
    const again = await enqueueSweep(bundle, spec, {
      url: redis.url,
      onProgress: (p) => {
        if (p.batch === 1) reused = p.reused;
      },
    });
    expect(reused).toBe(3 * 2 * 3 * 2);
    expect(withoutTimes(again)).toStrictEqual(withoutTimes(local));
  });

  it("carries the settings table's regularizers in jobs: a sweep over --l1 with every other setting on agrees bit for bit", async () => {
    const spec: SweepSpec = {
      base: {
        iterations: 300,
        keepProb: 0.9,
        labelSmoothing: 0.05,
        weightDecay: 0.001,
        lrSchedule: "step:100:0.5",
        regularizers: [
          { kind: "max-norm", c: 3 },
          { kind: "gaussian-noise", sigma: 0.05, layers: [0, 1] },
          { kind: "gaussian-dropout", rate: 0.1 },
        ],
      },
      setting: { name: "l1", values: [0, 0.01] },
      folds: 2,
    };
    const local = await runSweep(bundle, spec);
    const queued = await enqueueSweep(bundle, spec, { url: redis.url });
    expect(withoutTimes(queued)).toStrictEqual(withoutTimes(local));
    const args = [
      "sweep",
      "--l1",
      "0,0.01",
      "--max-norm",
      "3",
      "--folds",
      "2",
      "--iterations",
      "200",
      "--json",
      "--quiet",
    ];
    const cliLocal = await cli(...args);
    const cliQueued = await cli(...args, "--queue", redis.url);
    expect(cliQueued.code, cliQueued.err).toBe(0);
    expect(jsonWithoutTimes(cliQueued.out)).toStrictEqual(jsonWithoutTimes(cliLocal.out));
  });

  it("reglab compare --seeds --queue prints what the local command prints", async () => {
    const args = ["compare", "--seeds", "2", "--iterations", "500", "--json", "--quiet"];
    const local = await cli(...args);
    const queued = await cli(...args, "--queue", redis.url);
    expect(local.code, local.err).toBe(0);
    expect(queued.code, queued.err).toBe(0);
    expect(jsonWithoutTimes(queued.out)).toStrictEqual(jsonWithoutTimes(local.out));
  });

  it.skipIf(!HAS_MNIST)(
    "carries a model's augmentation to the workers: a digits compare agrees bit for bit",
    async () => {
      const args = ["compare", "--dataset", "digits", "--train-size", "60", "--test-size", "100"];
      args.push("--iterations", "30", "--models", "none,elastic", "--seeds", "2", "--json", "--quiet");
      const local = await cli(...args);
      const queued = await cli(...args, "--queue", redis.url);
      expect(local.code, local.err).toBe(0);
      expect(queued.code, queued.err).toBe(0);
      expect(JSON.parse(local.out).models[1].augment.spec).toBe("elastic:alpha=34,sigma=4");
      expect(jsonWithoutTimes(queued.out)).toStrictEqual(jsonWithoutTimes(local.out));
    },
  );

  it("stops its workers cleanly on SIGTERM", async () => {
    const codes = await Promise.all(workers.map((w) => w.stop()));
    expect(codes).toEqual([0, 0]);
    for (const w of workers) expect(w.log()).toMatch(/worker: stopped: \d+ jobs done, 0 failed/);
  });

  it("loses nothing when a worker is SIGKILLed mid-job: its job is retried elsewhere", async () => {
    // Short locks so the stalled job comes back within seconds.
    const fast = ["--lock-duration", "1000", "--concurrency", "1"];
    const args = ["sweep", "--lambda", "0,1", "--folds", "3", "--iterations", "3000", "--json", "--quiet"];
    const victim = startWorker(redis.url, ...fast);
    const survivor = startWorker(redis.url, ...fast);
    workers = [victim, survivor];
    const queued = cli(...args, "--queue", redis.url);
    await victim.waitFor(/job fit-\w+ started/);
    victim.child.kill("SIGKILL");
    await survivor.waitFor(/stalled/);
    const r = await queued;
    const local = await cli(...args);
    expect(r.code, r.err).toBe(0);
    expect(jsonWithoutTimes(r.out)).toStrictEqual(jsonWithoutTimes(local.out));
  });
});

if (!REDIS_SERVER) describe.skip(`queue: ${NO_REDIS_REASON}`, () => {});
