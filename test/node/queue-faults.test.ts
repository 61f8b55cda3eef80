import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDataset } from "../../src/data/generators.js";
import type { FitJob } from "../../src/experiments/jobs.js";
import { dataKey, encodeBundle, sha256Hex, uploadDataset } from "../../src/node/queue/dataset-store.js";
import { DatasetError, type QueuedFit, queueRunner, runWorker } from "../../src/node/queue/index.js";
import { REGLAB_VERSION } from "../../src/node/queue/job-schema.js";
import { cli } from "../support/io.js";
import { NO_REDIS_REASON, REDIS_SERVER, type RedisInstance, startRedis } from "../support/redis.js";

// The worker runs in this process, its training threads from dist/ (run `npm run build` first).
const football = generateDataset("football");
const moons = generateDataset("moons");
const good: Omit<FitJob, "id"> = {
  config: { iterations: 200, seed: 3 },
  train: { set: "train" },
  score: { train: { set: "train" } },
};

describe.skipIf(!REDIS_SERVER)("a worker facing bad jobs and bad data", () => {
  let redis: RedisInstance;
  let client: Redis;
  let queue: Queue;
  let events: QueueEvents;
  const stop = new AbortController();
  let worker: ReturnType<typeof runWorker>;
  const log: string[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.port, "127.0.0.1");
    const connection = { host: "127.0.0.1", port: redis.port, maxRetriesPerRequest: null };
    queue = new Queue("fits", { connection, prefix: "reglab" });
    events = new QueueEvents("fits", { connection, prefix: "reglab" });
    await events.waitUntilReady();
    worker = runWorker({ url: redis.url, concurrency: 1, signal: stop.signal, log: (l) => log.push(l) });
  });
  afterAll(async () => {
    stop.abort();
    await worker?.catch(() => undefined);
    await Promise.all([queue?.close(), events?.close()]);
    client?.disconnect();
    await redis?.stop();
  });

  /** Adds a raw job (as a hostile or buggy client could) and waits for it to finish or fail. */
  async function outcome(data: unknown, id: string): Promise<{ failed?: string; result?: unknown }> {
    const job = await queue.add("fit", data, { jobId: id, attempts: 3 });
    try {
      return { result: await job.waitUntilFinished(events, 60_000) };
    } catch (e) {
      const after = await queue.getJob(id);
      expect(after?.attemptsMade, "a deterministic failure is not retried").toBe(1);
      return { failed: (e as Error).message };
    }
  }

  it("fails a malformed job alone, with a message naming the field, and keeps working", async () => {
    const hash = await uploadDataset(client, football);
    const base: QueuedFit = { reglab: REGLAB_VERSION, data: hash, job: good };
    const cases: Array<[string, unknown, RegExp]> = [
      [
        "negative λ",
        { ...base, job: { ...good, config: { lambda: -1 } } },
        /lambda must be a number ≥ 0, got -1/,
      ],
      [
        "λ as a string",
        { ...base, job: { ...good, config: { lambda: "1" } } },
        /job.config.lambda must be a number/,
      ],
      [
        "an unknown config field",
        { ...base, job: { ...good, config: { require: "child_process" } } },
        /job.config has an unknown field 'require'/,
      ],
      [
        "a fold outside its split",
        { ...base, job: { ...good, train: { set: "fold", k: 3, fold: 3, splitSeed: 0, part: "train" } } },
        /job.train.fold must be a whole number in \[0, 2\], got 3/,
      ],
      ["no score", { ...base, job: { config: {}, train: { set: "train" } } }, /job.score is missing/],
      ["not a hash", { ...base, data: "../../etc/passwd" }, /data must be a SHA-256 in hex/],
    ];
    for (const [name, data, message] of cases) {
      const o = await outcome(data, `bad-${name.replace(/\W+/g, "-")}`);
      expect(o.failed, name).toMatch(/^JobValidationError: /);
      expect(o.failed, name).toMatch(message);
    }
    const ok = await outcome(base, "good-after-bad");
    expect(JSON.parse(String(ok.result)).scores.train.n).toBe(football.train.X.cols);
  });

  it("refuses a dataset whose bytes do not match its hash", async () => {
    // The hash of data this worker has not seen (it trusts what it already checked and cached)…
    const claimed = sha256Hex(encodeBundle(generateDataset("circles")));
    // …and someone with write access to Redis puts other data under it.
    await client.set(dataKey(claimed), Buffer.from(encodeBundle(moons)));
    const o = await outcome({ reglab: REGLAB_VERSION, data: claimed, job: good }, "substituted");
    expect(o.failed).toMatch(
      /^DatasetError: dataset [0-9a-f]{12}… in Redis has SHA-256 [0-9a-f]{12}…: refusing/,
    );
    await client.del(dataKey(claimed));
    const gone = await outcome({ reglab: REGLAB_VERSION, data: claimed, job: good }, "missing");
    expect(gone.failed).toMatch(/not in Redis/);
  });

  it("reports a diverging run as such beside the runs that worked, without retrying it", async () => {
    const diverging: FitJob = {
      id: 1,
      config: { activation: "linear", learningRate: 20, iterations: 300 },
      train: { set: "train" },
      score: { train: { set: "train" } },
    };
    const runner = queueRunner(football, { url: redis.url });
    try {
      // A diverged run is a result (reported, never scored), not a failure to retry.
      const results = await runner([
        { ...good, id: 0 },
        diverging,
        { ...good, config: { iterations: 300 }, id: 2 },
      ]);
      expect(results.map((r) => r.diverged === undefined)).toEqual([true, false, true]);
      expect(results[1].diverged?.advice).toMatch(/learning rate 20 is likely too large/);
      expect(results[1].scores).toEqual({});
    } finally {
      await runner.close();
    }
    const args = [
      "--lambda",
      "0,0.1",
      "--activation",
      "linear",
      "--learning-rate",
      "20",
      "--iterations",
      "300",
    ];
    const r = await cli("sweep", ...args, "--folds", "2", "--quiet", "--queue", redis.url);
    const local = await cli("sweep", ...args, "--folds", "2", "--quiet");
    expect(r.code).toBe(2);
    expect(r.out).not.toMatch(/Chosen on validation/);
    expect(r.err).toMatch(
      /^reglab: every configuration diverged; the first: training diverged at iteration \d+/m,
    );
    expect(r.err).toBe(local.err);
  });

  it("refuses a dataset above the size cap before queueing anything", async () => {
    const runner = queueRunner(football, { url: redis.url, maxDataBytes: 1000 });
    try {
      const e = await runner([{ ...good, id: 0 }]).catch((x) => x);
      expect(e).toBeInstanceOf(DatasetError);
      expect(e.message).toMatch(/the dataset is [\d.]+ MiB encoded, above the queue's cap of 0\.0 MiB/);
    } finally {
      await runner.close();
    }
  });

  it("hands its running job back to the queue when stopped", async () => {
    const hash = await uploadDataset(client, football);
    const long: QueuedFit = {
      reglab: REGLAB_VERSION,
      data: hash,
      job: { ...good, config: { iterations: 1e6 } },
    };
    await queue.add("fit", long, { jobId: "long" });
    while ((await (await queue.getJob("long"))?.getState()) !== "active") {
      await new Promise((r) => setTimeout(r, 50));
    }
    stop.abort();
    const summary = await worker;
    expect(summary.handedBack).toBe(1);
    expect(await (await queue.getJob("long"))?.getState()).toBe("waiting");
  });
});

if (!REDIS_SERVER) describe.skip(`queue faults: ${NO_REDIS_REASON}`, () => {});
