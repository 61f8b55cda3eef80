import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import type { DataBundle } from "../../src/data/dataset.js";
import { generateDataset } from "../../src/data/generators.js";
import type { FitJobResult } from "../../src/experiments/jobs.js";
import { decodeResult, encodeResult, jobIdOf } from "../../src/node/queue/codec.js";
import { decodeBundle, encodeBundle } from "../../src/node/queue/dataset-store.js";
import { type QueuedFit, REGLAB_VERSION, validateQueuedFit } from "../../src/node/queue/job-schema.js";
import { parseQueueUrl, redactUrl } from "../../src/node/queue/url.js";
import { expectUsageError } from "../support/io.js";

const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.buffer.slice(0)));

describe("queue URLs", () => {
  it("reads host, port, database, credentials and TLS", () => {
    expect(parseQueueUrl("redis://localhost")).toEqual({ host: "localhost", port: 6379, db: 0, tls: false });
    expect(parseQueueUrl("rediss://reglab:p%40ss@queue.lan:6380/2")).toEqual({
      host: "queue.lan",
      port: 6380,
      db: 2,
      username: "reglab",
      password: "p@ss",
      tls: true,
    });
    expect(parseQueueUrl("redis://:secret@[::1]:7000/0")).toEqual({
      host: "::1",
      port: 7000,
      db: 0,
      password: "secret",
      tls: false,
    });
  });

  it("refuses what it cannot use, without repeating the password", () => {
    for (const [url, message] of [
      ["http://u:secret@host:6379", /expected a redis:\/\/ or rediss:\/\/ URL/],
      ["redis://u:secret@host:6379/cache", /must be a database number/],
      ["redis://u:secret@host:6379?db=1", /query or fragment/],
      ["redis://u:secret@host:99999", /expected redis:\/\/|port must be/],
      ["host:6379", /expected a redis:\/\/ or rediss:\/\/ URL|expected redis:\/\//],
    ] as const) {
      expect(() => parseQueueUrl(url), url).toThrow(message);
      try {
        parseQueueUrl(url);
      } catch (e) {
        expect((e as Error).message).not.toContain("secret");
      }
    }
    expect(redactUrl("rediss://reglab:secret@h:6380/1")).toBe("rediss://reglab:***@h:6380/1");
  });

  it("stops the commands with one line before any work", async () => {
    await expectUsageError(["worker", "--queue", "http://localhost:6379"], /--queue: expected a redis/);
    await expectUsageError(["sweep", "--queue", "redis://h/x", "--folds", "2"], /database number/);
    await expectUsageError(["compare", "--seeds", "2", "--queue", "localhost"], /--queue/);
  });
});

describe("what travels through Redis", () => {
  it("carries a dataset bit for bit, and refuses a truncated one", () => {
    const g = generateDataset("football");
    const X = matrix(2, 3, Float64Array.from([-0, 1e-310, Math.PI, -1.5, 2 ** -1074, 7]));
    const bundle: DataBundle = {
      source: "test",
      train: g.train,
      test: g.test!,
      dev: { X, y: Uint8Array.from([0, 1, 1]) },
      synthetic: true,
    };
    const back = decodeBundle(encodeBundle(bundle));
    expect(back.source).toBe("test");
    expect(back.synthetic).toBe(true);
    for (const name of ["train", "test", "dev"] as const) {
      expect(bits(back[name]!.X.data)).toEqual(bits(bundle[name]!.X.data));
      expect(back[name]!.y).toEqual(bundle[name]!.y);
      expect(back[name]!.X.rows).toBe(bundle[name]!.X.rows);
    }
    const bytes = encodeBundle(bundle);
    expect(() => decodeBundle(bytes.subarray(0, bytes.length - 8))).toThrow(/length does not match/);
  });

  it("carries images' shape and the class names (a worker's transforms need the geometry)", () => {
    const X = matrix(
      12,
      2,
      Float64Array.from({ length: 24 }, (_, i) => i / 24),
    );
    const shape = { height: 2, width: 2, channels: 3 };
    const bundle: DataBundle = {
      source: "images",
      train: { X, y: Uint8Array.from([0, 1]), shape },
      test: { X, y: Uint8Array.from([1, 0]), shape },
      classes: ["non-cat", "cat"],
    };
    const back = decodeBundle(encodeBundle(bundle));
    expect(back.train.shape).toEqual(shape);
    expect(back.test!.shape).toEqual(shape);
    expect(back.classes).toEqual(["non-cat", "cat"]);
    // Plain features stay as they were: no shape appears.
    expect(decodeBundle(encodeBundle(generateDataset("football"))).train.shape).toBeUndefined();
  });

  it("a test set of one class travels (the label rule asks two classes of the training set only)", () => {
    const football = generateDataset("football");
    const test = { X: matrix(2, 2, Float64Array.from([0.1, 0.2, 0.3, 0.4])), y: Uint8Array.from([1, 1]) };
    expect(Array.from(decodeBundle(encodeBundle({ ...football, test })).test!.y)).toEqual([1, 1]);
  });

  it("carries a result bit for bit, −0, NaN, ∞ and right/wrong vectors included", () => {
    const r: FitJobResult = {
      id: 7,
      seconds: 0.125,
      iterationsRun: 300,
      stopReason: "early stop",
      bestIteration: 200,
      scores: {
        train: { cost: 0.1 + 0.2, accuracy: 2 / 3, n: 3 },
        test: { cost: -0, accuracy: Number.NaN, n: 4, correct: Uint8Array.from([1, 0, 0, 1]) },
        dev: { cost: Number.POSITIVE_INFINITY, accuracy: 5e-324, n: 1 },
      },
    };
    const back = decodeResult(encodeResult(r), 7);
    expect(back).toStrictEqual(r);
    expect(Object.is(back.scores.test.cost, -0)).toBe(true);
    expect(() => decodeResult('{"scores":{"a":{"cost":"x","accuracy":1,"n":1}}}', 0)).toThrow(/not a number/);
  });

  it("carries a seed's test curve, and the schema checks a job's curve", () => {
    const r: FitJobResult = {
      id: 2,
      seconds: 1,
      iterationsRun: 20,
      scores: { test: { cost: 0.5, accuracy: 0.75, n: 4 } },
      curve: [
        { iteration: 0, cost: 0.1 + 0.2, accuracy: 0.5 },
        { iteration: 20, cost: -0, accuracy: 2 / 3 },
      ],
    };
    expect(decodeResult(encodeResult(r), 2)).toStrictEqual(r);
    expect(() => decodeResult('{"seconds":1,"iterationsRun":1,"scores":{},"curve":{}}', 0)).toThrow(
      /curve is not a list/,
    );
    const fit = (curve: unknown) => ({
      reglab: REGLAB_VERSION,
      data: "a".repeat(64),
      job: { config: {}, train: { set: "train" }, score: { test: { set: "test" } }, curve },
    });
    expect(() => validateQueuedFit(fit({ set: { set: "test" }, every: 100 }))).not.toThrow();
    expect(() => validateQueuedFit(fit({ set: { set: "test" }, every: 0 }))).toThrow(/job\.curve\.every/);
    expect(() => validateQueuedFit(fit({ set: { set: "nowhere" }, every: 10 }))).toThrow(/job\.curve\.set/);
  });

  it("names a job by what decides its result, not by key order", () => {
    const job: QueuedFit = {
      reglab: "0.1.0",
      data: "a".repeat(64),
      job: { config: { lambda: 1, seed: 3 }, train: { set: "train" }, score: { test: { set: "test" } } },
    };
    const reordered = { job: { score: job.job.score, train: job.job.train, config: { seed: 3, lambda: 1 } } };
    const id = jobIdOf(job);
    expect(id).toMatch(/^fit-[0-9a-f]{40}$/);
    expect(jobIdOf({ ...reordered, data: job.data, reglab: job.reglab })).toBe(id);
    expect(jobIdOf({ ...job, data: "b".repeat(64) })).not.toBe(id);
    expect(jobIdOf({ ...job, reglab: "0.2.0" })).not.toBe(id);
    expect(jobIdOf({ ...job, job: { ...job.job, config: { lambda: 1, seed: 4 } } })).not.toBe(id);
  });
});
