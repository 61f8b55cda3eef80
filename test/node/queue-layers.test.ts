import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { mnistDirectory } from "../../src/node/digits.js";
import { type QueuedFit, validateQueuedFit } from "../../src/node/queue/job-schema.js";
import { cli } from "../support/io.js";
import { startWorker, type WorkerProcess } from "../support/queue-workers.js";
import { NO_REDIS_REASON, REDIS_SERVER, type RedisInstance, startRedis } from "../support/redis.js";

const HAS_MNIST = mnistDirectory() !== undefined;

const job = (layers: unknown): unknown => ({
  reglab: "0.1.0",
  data: "a".repeat(64),
  job: { config: { seed: 3 }, layers, train: { set: "train" }, score: { train: { set: "train" } } },
});

describe("a queued job's layers", () => {
  it("are the library's typed specs: the --layers text's specs pass", () => {
    const specs = parseLayerSpecs(
      "conv:8:5:2:same,maxpool:2,avgpool:2:1,spatial-dropout:0.8,flatten,dropout:0.5,64",
    );
    const q = validateQueuedFit(job(specs)) as QueuedFit;
    expect(q.job.layers).toEqual(specs);
  });

  it("are refused strictly, one line naming the field", () => {
    const cases: Array<[unknown, RegExp]> = [
      ["conv:8:5", /^job\.layers must be a list of 1 to 64 layer specs, got "conv:8:5"$/],
      [[], /^job\.layers must be a list of 1 to 64 layer specs/],
      [
        [{ type: "conv3d", filters: 8, size: 5 }],
        /^job\.layers\[0\]\.type must be one of conv, maxpool, .*, got "conv3d"$/,
      ],
      [[{ filters: 8 }], /^job\.layers\[0\]\.type must be one of conv/],
      [[{ type: "conv", filters: 8, size: 0 }], /^job\.layers\[0\]\.size must be a whole number ≥ 1, got 0$/],
      [
        [{ type: "conv", filters: 2.5, size: 3 }],
        /^job\.layers\[0\]\.filters must be a whole number ≥ 1, got 2\.5$/,
      ],
      [
        [{ type: "conv", filters: 8, size: 3, padding: "full" }],
        /^job\.layers\[0\]\.padding must be 'valid' or 'same', got "full"$/,
      ],
      [
        [
          { type: "dense", units: 8 },
          { type: "maxpool", size: 2, filters: 3 },
        ],
        /^job\.layers\[1\] has an unknown field 'filters'$/,
      ],
      [[{ type: "dense" }], /^job\.layers\[0\]\.units is missing$/],
      [[{ type: "spatial-dropout", keepProb: 0 }], /^job\.layers\[0\]\.keepProb must be in \(0, 1\], got 0$/],
      [[{ type: "dropout", keepProb: "0.5" }], /^job\.layers\[0\]\.keepProb must be in \(0, 1\]/],
    ];
    for (const [layers, message] of cases) {
      expect(() => validateQueuedFit(job(layers)), JSON.stringify(layers)).toThrow(message);
    }
  });
});

/** A --json sweep or compare without its timings. */
function withoutTimes(out: string): unknown {
  return JSON.parse(out, (key, v) => (key === "seconds" ? undefined : v));
}

// Workers are `reglab worker` processes from dist/ (run `npm run build` before this file).
describe.skipIf(!REDIS_SERVER || !HAS_MNIST)("layered networks on the queue", () => {
  let redis: RedisInstance;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    workers = [startWorker(redis.url, "--concurrency", "1"), startWorker(redis.url, "--concurrency", "1")];
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
  });

  const DIGITS = ["--dataset", "digits", "--train-size", "60", "--test-size", "100", "--quiet", "--json"];

  it("sweep --layers conv:… sweeps λ × keepProb on a CNN: the queue's table, winner and test score are the local ones", async () => {
    const args = ["sweep", ...DIGITS, "--layers", "conv:2:5,maxpool:4,8", "--optimizer", "adam"];
    args.push("--learning-rate", "0.01", "--iterations", "20", "--lambda", "0,1", "--keep-prob", "0.7,1");
    args.push("--folds", "2");
    const local = await cli(...args);
    expect(local.code, local.err).toBe(0);
    const queued = await cli(...args, "--queue", redis.url);
    expect(queued.code, queued.err).toBe(0);
    const j = withoutTimes(queued.out) as { points: unknown[]; final: { testAccuracy: number } };
    expect(j.points).toHaveLength(4);
    expect(j.final.testAccuracy).toBeGreaterThan(0);
    expect(j).toStrictEqual(withoutTimes(local.out));
    for (const w of workers) expect(w.log()).toMatch(/job fit-\w+ done/);
  });

  it("compare --cnn --seeds --queue prints what the local command prints", async () => {
    const args = [
      "compare",
      ...DIGITS,
      "--cnn",
      "--models",
      "dense,cnn",
      "--iterations",
      "20",
      "--seeds",
      "2",
    ];
    const local = await cli(...args);
    expect(local.code, local.err).toBe(0);
    const queued = await cli(...args, "--queue", redis.url);
    expect(queued.code, queued.err).toBe(0);
    expect(withoutTimes(queued.out)).toStrictEqual(withoutTimes(local.out));
  });

  it("sweeps a settings axis (L1) on a CNN, the queue's results the local ones", async () => {
    const args = [
      "sweep",
      ...DIGITS,
      "--layers",
      "conv:2:5,8",
      "--l1",
      "0,0.01",
      "--iterations",
      "10",
      "--folds",
      "2",
    ];
    const local = await cli(...args);
    expect(local.code, local.err).toBe(0);
    const queued = await cli(...args, "--queue", redis.url);
    expect(queued.code, queued.err).toBe(0);
    const j = withoutTimes(queued.out) as { points: unknown[] };
    expect(j.points).toHaveLength(2);
    expect(j).toStrictEqual(withoutTimes(local.out));
  });
});

if (!REDIS_SERVER) describe.skip(`queue with layers: ${NO_REDIS_REASON}`, () => {});
