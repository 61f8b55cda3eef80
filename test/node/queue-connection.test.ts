import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { generateDataset } from "../../src/data/generators.js";
import { queueRunner, runWorker } from "../../src/node/queue/index.js";
import { memoryIo } from "../support/io.js";
import { NO_REDIS_REASON, REDIS_SERVER, type RedisInstance, startRedis } from "../support/redis.js";

let redis: RedisInstance;

const until = async (ok: () => boolean, what: string, ms = 60_000) => {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms)
      throw new Error(`timed out waiting for ${what}; redis-server said:\n${redis.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(!REDIS_SERVER)("the queue's connection and interrupts", () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("Ctrl+C while a queued sweep waits exits 130 and prints no result", async () => {
    const m = memoryIo();
    // No worker serves the queue, so the sweep waits until interrupted.
    const run = runCli(
      ["sweep", "--lambda", "0,1", "--folds", "2", "--iterations", "100", "--queue", redis.url],
      m.io,
    );
    await until(() => m.err().includes("runs on the queue"), "the jobs to be queued");
    m.stop();
    expect(await run).toBe(130);
    expect(m.err()).toMatch(/reglab: sweep interrupted/);
    expect(m.out()).not.toMatch(/Chosen on validation/);
  });

  it("a worker reports a lost connection once, reconnects with backoff, and goes on working", async () => {
    const log: string[] = [];
    const stop = new AbortController();
    let ready = false;
    let failed: Error | undefined;
    const worker = runWorker({
      url: redis.url,
      concurrency: 1,
      signal: stop.signal,
      log: (l) => log.push(l),
      onReady: () => {
        ready = true;
      },
    });
    worker.catch((e) => {
      failed = e;
    });
    try {
      await until(() => ready || failed !== undefined, "the worker to start");
      if (failed) throw failed;
      await redis.stop();
      await until(() => log.some((l) => l.includes("connection lost")), "the outage to be reported");
      redis = await startRedis(redis.port);
      await until(() => log.some((l) => l.includes("connected again")), "the reconnection to be reported");
      expect(log.filter((l) => l.includes("connection lost"))).toHaveLength(1);
      // The restarted server is empty: the worker serves the queue anew.
      const runner = queueRunner(generateDataset("football"), { url: redis.url });
      try {
        const [r] = await runner([
          { id: 0, config: { iterations: 100 }, train: { set: "train" }, score: { train: { set: "train" } } },
        ]);
        expect(r.iterationsRun).toBe(100);
      } finally {
        await runner.close();
      }
    } finally {
      stop.abort();
      await worker;
    }
  });
});

if (!REDIS_SERVER) describe.skip(`queue connection: ${NO_REDIS_REASON}`, () => {});
