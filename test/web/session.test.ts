import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import type { Network } from "../../src/core/network.js";
import { parseModel } from "../../src/core/serialize.js";
import { generateDataset } from "../../src/data/generators.js";
import { FOOTBALL_VIEW } from "../../src/plot/view.js";
import { type RunConfig, resolveRunConfig } from "../../src/training/config.js";
import { earlyStopping } from "../../src/training/early-stopping.js";
import { evaluationCallback } from "../../src/training/evaluate.js";
import { fit as fitModel } from "../../src/training/train.js";
import type { Trainer } from "../../src/training/trainer.js";
import { buildRunData } from "../../web/data.js";
import { datasetWithFeatures, withFeatures } from "../../web/features.js";
import { historyCsv, ModelHistory } from "../../web/history.js";
import { compareStart, modelSpecs } from "../../web/models.js";
import { MAP_NX, MAP_NY } from "../../web/protocol.js";
import { layerActivations, Session } from "../../web/session.js";
import { parseSettings, runConfigOf } from "../../web/state.js";

const football = generateDataset("football");
const one = [{ key: "model", name: "model", overrides: {} }];

function session(config: Partial<RunConfig>, options: { grid?: boolean; es?: number } = {}) {
  return new Session({
    data: { train: football.train, ...(football.test && { test: football.test }) },
    config: resolveRunConfig(config),
    models: one,
    earlyStopping: { enabled: options.es !== undefined, patience: options.es ?? 0 },
    ...(options.grid && { grid: { view: FOOTBALL_VIEW, nx: 12, ny: 8 } }),
  });
}

/** Steps the session in uneven chunks (as the worker's time slices do) until it ends. */
function runOut(s: Session): void {
  const chunks = [1, 7, 64, 3, 250];
  for (let k = 0; !s.done; k++) s.step(chunks[k % chunks.length]);
}

describe("the playground's session", () => {
  const configs: Array<[string, Partial<RunConfig>]> = [
    ["the seed's baseline", { iterations: 1200, costEvery: 100 }],
    ["L2", { iterations: 700, costEvery: 50, lambda: 0.7 }],
    ["fresh dropout", { iterations: 900, costEvery: 100, keepProb: 0.86 }],
    [
      "fixed dropout per layer",
      { iterations: 500, costEvery: 25, keepProb: [0.8, 0.9], dropoutMasks: "fixed" },
    ],
    [
      "adam on mini-batches with decay",
      {
        iterations: 400,
        costEvery: 10,
        optimizer: { name: "adam" },
        learningRate: 0.01,
        batchSize: 32,
        learningRateDecay: 0.1,
        hidden: [5, 4, 3],
        activation: "tanh",
        init: "he",
        seed: 11,
        keepProb: 0.9,
      },
    ],
  ];

  for (const [name, config] of configs) {
    it(`records the same costs as reglab train, to the last digit: ${name}`, async () => {
      const s = session(config);
      runOut(s);
      const cli = await fitModel(football.train, config);
      const run = s.runs[0];
      expect(run.history.iterations).toEqual(cli.history.iterations);
      expect(run.history.costs).toEqual(cli.history.costs);
      expect(run.network.weights).toEqual(cli.network.weights);
    });
  }

  it("evaluates as the CLI's evaluation callback does, and adds the test set", async () => {
    const config = { iterations: 450, costEvery: 100 };
    const s = session(config);
    runOut(s);
    const cli = await fitModel(football.train, config, {
      callbacks: [evaluationCallback({ evaluateEvery: 100 })],
    });
    const ev = s.runs[0].evaluations;
    expect(ev.map((e) => e.iteration)).toEqual([0, 100, 200, 300, 400, 450]);
    expect(ev.map((e) => e.trainLoss)).toEqual(cli.history.evaluations.map((e) => e.trainCost));
    expect(ev.every((e) => e.testLoss !== undefined && e.testAccuracy !== undefined)).toBe(true);
  });

  it("stops early exactly where reglab train --early-stopping does and keeps the best weights", async () => {
    const data = buildRunData(parseSettings("dev=0.3&sseed=4").settings);
    const config = resolveRunConfig({
      iterations: 20_000,
      costEvery: 100,
      hidden: [30, 10],
      learningRate: 0.5,
    });
    const s = new Session({
      data: { train: data.train, dev: data.dev! },
      config,
      models: one,
      earlyStopping: { enabled: true, patience: 5 },
    });
    runOut(s);
    const es = earlyStopping({ dev: data.dev!, patience: 5, evaluateEvery: 100 });
    const cli = await fitModel(data.train, config, { callbacks: [es] });
    const run = s.runs[0];
    expect(run.history.iterationsRun).toBe(cli.history.iterationsRun);
    expect(run.history.iterationsRun).toBeLessThan(20_000);
    expect(run.history.stopReason).toBe(cli.history.stopReason);
    expect(run.earlyStopping?.bestIteration).toBe(es.bestIteration);
    expect(run.network.weights).toEqual(cli.network.weights);
    const snap = s.snapshot(0)[0];
    expect(snap.done).toBe(true);
    expect(snap.bestIteration).toBe(es.bestIteration);
  });

  it("reports a diverging run instead of throwing", () => {
    const s = session({ iterations: 500, costEvery: 1, learningRate: 50 });
    runOut(s);
    expect(s.runs[0].error).toMatch(/diverged/);
  });

  it("sends each history point once, and the grid, weights and dropped units of the moment", () => {
    const s = session({ iterations: 300, costEvery: 100, keepProb: [0.5, 1] }, { grid: true });
    s.watch = { layer: 1, index: 4 };
    let snap = s.snapshot(0)[0];
    expect(snap.history.evaluations).toHaveLength(1);
    expect(snap.dropped).toBeUndefined();
    s.step(150);
    snap = s.snapshot(123)[0];
    expect(snap.history.costIterations).toEqual([0, 100]);
    expect(snap.history.evaluations.map((e) => e.iteration)).toEqual([100]);
    expect(snap.iteration).toBe(150);
    expect(snap.grid).toHaveLength(96);
    expect(snap.unit?.values).toHaveLength(96);
    expect(snap.weights.map((w) => w.length)).toEqual([40, 60, 3]);
    expect(snap.dropped?.map((d) => d.length)).toEqual([20, 3]);
    expect(snap.dropped?.[1].every((d) => d === 0)).toBe(true);
    // Half the units of the first layer are dropped for a given example, give or take.
    const dropped = snap.dropped![0].reduce((a, b) => a + b, 0);
    expect(dropped).toBeGreaterThan(2);
    expect(dropped).toBeLessThan(18);
    const again = s.snapshot(0)[0];
    expect(again.history.costs).toEqual([]);
    expect(again.history.evaluations).toEqual([]);
  });

  it("computes a unit's activations along the prediction path", () => {
    const s = session({ iterations: 50 }, { grid: true });
    s.step(50);
    const net = s.runs[0].network as Network;
    const X = { rows: 2, cols: 3, data: Float64Array.from([0.1, -0.2, 0.3, 0.4, -0.5, 0.6]) };
    expect(layerActivations(net, X, 0)).toBe(X.data);
    expect(Array.from(layerActivations(net, X, net.depth))).toEqual(Array.from(net.predictProba(X)));
    const h = layerActivations(net, X, 1);
    expect(h).toHaveLength(20 * 3);
    expect(Math.min(...h)).toBeGreaterThanOrEqual(0);
  });

  it("exports a model file that parses back to the same network", () => {
    const s = session({ iterations: 200, keepProb: 0.86 });
    runOut(s);
    const text = s.runs[0].modelJSON("football");
    const net = parseModel(text);
    expect(net.weights).toEqual(s.runs[0].network.weights);
    const file = JSON.parse(text);
    expect(file.config.keepProb).toBe(0.86);
    expect(file.training.iterationsRun).toBe(200);
    expect(file.training.testAccuracy).toBeGreaterThan(0.5);
  });

  it("trains the three models side by side in compare mode, λ and keepProb from the settings", async () => {
    const settings = parseSettings("compare=1&iters=300&every=100&masks=fixed&lambda=0.7&keep=0.86").settings;
    const models = modelSpecs(settings);
    expect(models.map((m) => m.key)).toEqual(["none", "l2", "dropout"]);
    // The article's values are where compare mode starts when λ or dropout is off.
    expect(compareStart(parseSettings("compare=1").settings)).toEqual({
      lambda: 0.7,
      keepProb: [0.86, 0.86],
    });
    expect(compareStart(settings)).toEqual({});
    const s = new Session({
      data: { train: football.train },
      config: runConfigOf(settings),
      models,
      earlyStopping: { enabled: false, patience: 1 },
    });
    runOut(s);
    const expected = [{ lambda: 0 }, { lambda: 0.7 }, { keepProb: 0.86, dropoutMasks: "fixed" as const }];
    for (let i = 0; i < 3; i++) {
      const cli = await fitModel(football.train, { iterations: 300, costEvery: 100, ...expected[i] });
      expect(s.runs[i].history.costs).toEqual(cli.history.costs);
    }
    const histories = s.runs.map((r) => {
      const h = new ModelHistory(r.spec.key, r.spec.name);
      h.append(r.takeHistory());
      return h;
    });
    const csv = historyCsv(histories).trim().split("\n");
    expect(csv[0]).toBe(
      "model,iteration,cost,train_loss,dev_loss,test_loss,train_accuracy,dev_accuracy,test_accuracy",
    );
    expect(csv).toHaveLength(1 + 3 * 4);
    expect(csv[1].split(",")[2]).toBe(String(s.runs[0].history.costs[0]));
    expect(csv[4]).toMatch(/^none,300,,/);
  });
});

describe("the playground's session: training until paused, live changes, new points", () => {
  const data = { train: football.train, ...(football.test && { test: football.test }) };
  const setup = (config: Partial<RunConfig>, stopAt: number | null) => ({
    data,
    config: resolveRunConfig(config),
    models: one,
    earlyStopping: { enabled: false, patience: 0 },
    stopAt,
  });

  it("trains past its configured iterations when told not to stop, and ends at a set stop", () => {
    const endless = new Session(setup({ iterations: 100, costEvery: 50 }, null));
    endless.step(300);
    expect(endless.runs[0].iteration).toBe(300);
    expect(endless.done).toBe(false);
    const stopped = new Session(setup({ iterations: 100, costEvery: 50 }, 120));
    stopped.step(300);
    expect(stopped.runs[0].iteration).toBe(120);
    expect(stopped.done).toBe(true);
    // Raising the stop lets a finished run go on from where it was.
    stopped.retune(resolveRunConfig({ iterations: 100, costEvery: 50 }), 200);
    expect(stopped.done).toBe(false);
    stopped.step(300);
    expect(stopped.runs[0].iteration).toBe(200);
    expect(stopped.runs[0].history.iterations).toEqual([0, 50, 100, 150]);
  });

  it("in compare mode, a live λ reaches the L2 panel and a live keepProb the dropout panel only", () => {
    const before = parseSettings("compare=1&lambda=0.7&keep=0.86&every=50").settings;
    const s = new Session({
      data,
      config: runConfigOf(before),
      models: modelSpecs(before),
      earlyStopping: { enabled: false, patience: 0 },
      stopAt: null,
    });
    s.step(100);
    const after = { ...before, lambda: 2, keepProb: [0.5, 0.5] };
    s.retune(runConfigOf(after), null, modelSpecs(after));
    expect(s.runs.map((r) => [r.config.lambda, r.config.keepProb])).toEqual([
      [0, 1],
      [2, 1],
      [0, 0.5],
    ]);
    expect(s.runs.map((r) => r.trainer.iteration)).toEqual([100, 100, 100]);
  });

  it("applies λ, keepProb and the learning rate live, as a trainer retuned at that step", () => {
    const base = { costEvery: 50, hidden: [6, 3] };
    const live = new Session(setup(base, null));
    live.step(150);
    const after = resolveRunConfig({ ...base, lambda: 0.7, keepProb: 0.8, learningRate: 0.1 });
    live.retune(after, null);
    live.step(150);
    const ref = new Session(setup(base, null));
    ref.step(150);
    (ref.runs[0].trainer as Trainer).retune({ lambda: 0.7, keepProb: 0.8, learningRate: 0.1 });
    ref.step(150);
    expect(live.runs[0].network.weights).toEqual(ref.runs[0].network.weights);
    expect(live.runs[0].history.costs).toEqual(ref.runs[0].history.costs);
    // The recorded objective now includes the L2 term: higher than the plain train loss.
    const last = live.runs[0].evaluations.at(-1)!;
    expect(live.runs[0].history.costs.at(-1)!).toBeGreaterThan(last.trainLoss);
  });

  it("goes on from the same weights and history when only the examples change (a clicked point)", () => {
    const base = { costEvery: 50 };
    const first = new Session(setup(base, null));
    first.step(120);
    const weights = first.runs[0].network.weights.map((w) => [...w]);
    const more = generateDataset("football", { n: 420 });
    const next = new Session({ ...setup(base, null), data: { train: more.train } }, first);
    const run = next.runs[0];
    expect(run.iteration).toBe(120);
    expect(run.network.weights.map((w) => [...w])).toEqual(weights);
    expect(run.history.iterations).toEqual([0, 50, 100]);
    next.step(80);
    expect(run.history.iterations).toEqual([0, 50, 100, 150]);
    // A new architecture cannot go on: it starts over.
    const other = new Session({ ...setup({ ...base, hidden: [5] }, null) }, first);
    expect(other.runs[0].iteration).toBe(0);
  });
});

describe("engineered input features", () => {
  it("appends x₁², x₂², x₁x₂, sin x₁, sin x₂ in that order, and the session trains and draws with them", () => {
    const X = matrix(2, 2, Float64Array.from([0.5, -2, 3, 0.25]));
    const all = withFeatures(X, ["x1sq", "x2sq", "x1x2", "sin1", "sin2"]);
    expect(all.rows).toBe(7);
    expect([...all.data]).toEqual([
      0.5,
      -2,
      3,
      0.25,
      0.25,
      4,
      9,
      0.0625,
      1.5,
      -0.5,
      Math.sin(0.5),
      Math.sin(-2),
      Math.sin(3),
      Math.sin(0.25),
    ]);
    expect(parseSettings("feat=sin1,x1sq").settings.features).toEqual(["x1sq", "sin1"]);
    expect(parseSettings("feat=x3").warnings[0]).toMatch(/ignored feat=x3/);

    // Circles with x₁², x₂² and no hidden layer: logistic regression draws the circle.
    const circles = generateDataset("circles");
    const features = ["x1sq", "x2sq"] as const;
    const s = new Session({
      data: { train: datasetWithFeatures(circles.train, [...features]) },
      config: resolveRunConfig({ hidden: [], iterations: 2000, learningRate: 0.5 }),
      models: one,
      earlyStopping: { enabled: false, patience: 0 },
      grid: { view: { xMin: -1.5, xMax: 1.5, yMin: -1.5, yMax: 1.5 }, nx: 12, ny: 12 },
      features: [...features],
    });
    s.step(2000);
    const snap = s.snapshot(0)[0];
    expect(snap.train.correct / snap.train.n).toBeGreaterThan(0.9);
    expect(snap.grid).toHaveLength(144);
    expect(snap.maps?.[0]).toHaveLength(4 * MAP_NX * MAP_NY);
    expect(s.source).toBe("playground; inputs x₁, x₂, x₁², x₂²");
  });
});
