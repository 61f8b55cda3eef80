import { describe, expect, it } from "vitest";
import { parseModel } from "../../src/core/serialize.js";
import { generateDataset } from "../../src/data/generators.js";
import { FOOTBALL_VIEW } from "../../src/plot/view.js";
import { type RunConfig, resolveRunConfig } from "../../src/training/config.js";
import { fit } from "../../src/training/train.js";
import type { FromWorker, SetupMessage, SnapshotMessage } from "../../web/protocol.js";
import { ACK_TIMEOUT_MS, WorkerLoop } from "../../web/worker-loop.js";

const football = generateDataset("football");

/**
 * The worker's host with a clock the test owns: every read advances it by `tickMs`, so a slice of
 * training ends after a known number of chunks. Scheduled slices wait in `pending` until run.
 */
function harness(tickMs = 1) {
  const sent: Array<{ message: FromWorker; transfer: ArrayBuffer[] }> = [];
  const host = {
    time: 0,
    pending: 0,
    post: (message: FromWorker, transfer: ArrayBuffer[]) => sent.push({ message, transfer }),
    now: () => {
      host.time += tickMs;
      return host.time;
    },
    schedule: () => {
      host.pending++;
    },
  };
  const loop = new WorkerLoop(host);
  const snapshots = () =>
    sent.map((s) => s.message).filter((m): m is SnapshotMessage => m.type === "snapshot");
  /** Runs scheduled slices until none is pending (or `max` ran). */
  const drain = (max = 100_000) => {
    let n = 0;
    while (host.pending > 0 && n < max) {
      host.pending--;
      loop.tick();
      n++;
    }
    return n;
  };
  return { host, loop, sent, snapshots, drain };
}

function setup(config: Partial<RunConfig>, runId = 1): SetupMessage {
  return {
    type: "setup",
    runId,
    data: { train: football.train, ...(football.test && { test: football.test }) },
    config: resolveRunConfig(config),
    models: [{ key: "model", name: "model", overrides: {} }],
    earlyStopping: { enabled: false, patience: 0 },
    grid: { view: FOOTBALL_VIEW, nx: 12, ny: 8 },
  };
}

describe("the training worker's loop (driven in Node)", () => {
  it("answers setup with a first snapshot, then trains in slices to the CLI's weights", async () => {
    const { loop, snapshots, sent, drain, host } = harness();
    const config = { iterations: 600, costEvery: 100 };
    loop.handle(setup(config, 7));
    expect(snapshots()).toHaveLength(1);
    const first = snapshots()[0];
    expect([first.runId, first.running, first.models[0].iteration]).toEqual([7, false, 0]);
    expect(first.models[0].grid).toHaveLength(96);
    // The grid and the weights are handed over, not copied.
    expect(sent[0].transfer).toContain(first.models[0].grid!.buffer);

    loop.handle({ type: "play" });
    expect(host.pending).toBe(1);
    const slices = drain();
    expect(slices).toBeGreaterThan(1);
    const last = snapshots().at(-1)!;
    expect(last.running).toBe(false);
    expect(last.models[0].done).toBe(true);
    expect(last.models[0].iteration).toBe(600);
    expect(host.pending).toBe(0);

    loop.handle({ type: "export", requestId: 3, model: 0 });
    const exported = sent.at(-1)!.message;
    expect(exported.type).toBe("model");
    if (exported.type !== "model") return;
    expect(exported.requestId).toBe(3);
    const cli = await fit(football.train, config);
    expect(parseModel(exported.json).weights).toEqual(cli.network.weights);
  });

  it("sends no snapshot while the last one is unacknowledged, until the page acks or a second passes", () => {
    const { loop, snapshots, drain, host } = harness();
    loop.handle(setup({ iterations: 1_000_000, costEvery: 1000, hidden: [4] }));
    loop.handle({ type: "ack" });
    loop.handle({ type: "play" });
    drain(1);
    expect(snapshots()).toHaveLength(2);
    // The page has not drawn it: slices go on, snapshots wait.
    drain(5);
    expect(snapshots()).toHaveLength(2);
    loop.handle({ type: "ack" });
    drain(1);
    expect(snapshots()).toHaveLength(3);
    expect(snapshots()[2].running).toBe(true);
    expect(snapshots()[2].models[0].rate).toBeGreaterThan(0);
    // A hidden tab never acks: one snapshot a second still goes out.
    const before = host.time;
    while (host.time - before <= ACK_TIMEOUT_MS) drain(1);
    drain(1);
    expect(snapshots()).toHaveLength(4);
    loop.handle({ type: "pause" });
    expect(snapshots().at(-1)!.running).toBe(false);
    expect(drain()).toBeLessThanOrEqual(1);
    expect(snapshots()).toHaveLength(5);
  });

  it("steps on request, and drops to the new run on a new setup", () => {
    const { loop, snapshots } = harness();
    loop.handle(setup({ iterations: 500, costEvery: 100 }, 1));
    loop.handle({ type: "step", count: 37 });
    expect(snapshots().at(-1)!.models[0].iteration).toBe(37);
    loop.handle(setup({ iterations: 500, costEvery: 100 }, 2));
    const fresh = snapshots().at(-1)!;
    expect([fresh.runId, fresh.models[0].iteration]).toEqual([2, 0]);
    loop.handle({ type: "watch", unit: { layer: 1, index: 0 } });
    expect(snapshots().at(-1)!.models[0].unit?.values).toHaveLength(96);
  });

  it("turns a failure into one error message for its run", () => {
    const { loop, sent } = harness();
    const bad = setup({}, 5);
    loop.handle({ ...bad, config: { ...bad.config, hidden: [3, 0] } });
    expect(sent.map((s) => s.message)).toEqual([
      { type: "error", runId: 5, message: expect.stringMatching(/hidden layer size/) },
    ]);
    // Without a session, play and step do nothing.
    loop.handle({ type: "play" });
    loop.handle({ type: "step", count: 3 });
    expect(sent).toHaveLength(1);
  });
});

describe("the training worker's loop: live changes and carried runs", () => {
  it("retunes the run it holds (and only that run), and carries a run over to new examples", () => {
    const { loop, snapshots } = harness();
    loop.handle({ ...setup({ costEvery: 50 }, 1), stopAt: null });
    loop.handle({ type: "step", count: 120 });
    expect(snapshots().at(-1)!.models[0].iteration).toBe(120);
    // A retune for another run is ignored; one for this run answers with a snapshot at once.
    const before = snapshots().length;
    loop.handle({ type: "retune", runId: 9, config: resolveRunConfig({ lambda: 0.7 }), stopAt: null });
    expect(snapshots()).toHaveLength(before);
    loop.handle({
      type: "retune",
      runId: 1,
      config: resolveRunConfig({ costEvery: 50, lambda: 0.7 }),
      stopAt: 200,
    });
    expect(snapshots()).toHaveLength(before + 1);
    loop.handle({ type: "step", count: 500 });
    const stopped = snapshots().at(-1)!.models[0];
    // The new stop holds, and the history goes on from where the last snapshot left it.
    expect([stopped.iteration, stopped.done]).toEqual([200, true]);
    expect(stopped.history.costIterations).toEqual([150]);

    // New examples, same network: the next run goes on from iteration 200.
    const more = generateDataset("football", { n: 430 });
    loop.handle({ ...setup({ costEvery: 50 }, 2), data: { train: more.train }, stopAt: null, carry: true });
    const carried = snapshots().at(-1)!;
    expect(carried.runId).toBe(2);
    expect(carried.models[0].iteration).toBe(200);
    expect(carried.models[0].done).toBe(false);
  });

  it("trains exactly the chosen steps per frame, one snapshot each, paced by the page's acks", () => {
    const { loop, snapshots, drain } = harness();
    loop.handle({ ...setup({ costEvery: 50 }, 1), stopAt: null });
    loop.handle({ type: "speed", stepsPerFrame: 1 });
    loop.handle({ type: "play" });
    // The setup's snapshot is not drawn yet: nothing trains until the page acks it.
    drain();
    expect(snapshots().at(-1)!.models[0].iteration).toBe(0);
    for (let frame = 1; frame <= 5; frame++) {
      loop.handle({ type: "ack" });
      drain();
      expect(snapshots().at(-1)!.models[0].iteration).toBe(frame);
    }
    loop.handle({ type: "speed", stepsPerFrame: 10 });
    loop.handle({ type: "ack" });
    drain();
    expect(snapshots().at(-1)!.models[0].iteration).toBe(15);
    // Back to full speed: slices of many steps without waiting for acks.
    loop.handle({ type: "speed", stepsPerFrame: null });
    loop.handle({ type: "ack" });
    drain(3);
    expect(snapshots().at(-1)!.models[0].iteration).toBeGreaterThan(15);
  });
});
