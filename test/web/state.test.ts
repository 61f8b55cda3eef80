import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import { DATASETS } from "../../src/data/generators.js";
import { resolveRunConfig } from "../../src/training/config.js";
import {
  cliArgsOf,
  defaultSettings,
  describeRun,
  normalize,
  parseSettings,
  runConfigOf,
  SETTINGS,
  type Settings,
  serializeSettings,
  usesDefaultData,
} from "../../web/state.js";

/** A random valid settings object, drawn with the project's own generator. */
function randomSettings(rng: RandomState): Settings {
  const int = (low: number, high: number) => low + rng.boundedInt(high - low - 1);
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length)];
  const hidden = Array.from({ length: int(0, 5) }, () => int(1, 33));
  const s: Settings = {
    dataset: pick([
      "football",
      "moons",
      "circles",
      "xor",
      "spiral",
      "gaussians",
      "flower",
      "digits",
    ] as const),
    points: int(4, 2001),
    noise: rng.random() * 2,
    testFraction: rng.random() * 0.9,
    dataSeed: int(0, 2 ** 31),
    devFraction: pick([0, 0.1, 0.25, 0.5]),
    splitSeed: int(0, 1000),
    added: Array.from({ length: int(0, 4) }, () => ({
      x: Math.round((rng.random() * 4 - 2) * 10_000) / 10_000,
      y: Math.round((rng.random() * 4 - 2) * 10_000) / 10_000,
      label: pick([0, 1] as const),
    })),
    fileName: pick(["", "football.mat", "my data, v2.csv", "a&b=c#d.json"]),
    features: pick([[], ["x1sq", "x2sq"], ["x1x2", "sin1", "sin2"]] as const).slice() as Settings["features"],
    hidden,
    activation: pick(["relu", "tanh", "leakyRelu", "sigmoid", "linear"] as const),
    init: pick(["reference", "he", "xavier", "zeros"] as const),
    seed: int(0, 2 ** 31),
    learningRate: pick([0.3, 0.01, 1e-4, 2.5, 1 / 3]),
    optimizer: pick(["gd", "momentum", "adam"] as const),
    batchSize: pick([0, 1, 32, 64]),
    lrDecay: pick([0, 0.001, 0.5]),
    lambda: pick([0, 0.7, 0.1 + 0.2, 5]),
    keepProb: hidden.map(() => pick([1, 0.86, 0.5, 0.123456789])),
    dropoutMasks: pick(["fresh", "fixed"] as const),
    table: pick<Settings["table"]>([
      {},
      { l1: 0.01 },
      { l1: 0.1 + 0.2, "max-norm": 3, "lr-schedule": "step:100:0.5" },
      { "gaussian-noise": 0.25, "gaussian-dropout": 0.3, "label-smoothing": 0.1, "weight-decay": 1e-4 },
      { "lr-schedule": "cosine:50" },
    ]),
    augment: pick([[], ["noise"], ["elastic", "affine", "crop"]] as const).slice() as Settings["augment"],
    iterations: int(1, 100_000),
    stopAt: pick([false, true]),
    costEvery: int(1, 2000),
    earlyStopping: false,
    patience: int(0, 50),
    heatmap: pick(["probability", "discrete"] as const),
    showTest: pick([true, false]),
    compare: pick([true, false]),
    speed: pick(["full", "1000", "100", "10", "1"] as const),
    net: pick(["dense", "cnn"] as const),
  };
  if (rng.random() < 0.5) {
    s.earlyStopping = true;
    if (s.devFraction === 0) s.devFraction = 0.2;
  }
  return s;
}

describe("the settings table", () => {
  it("has one entry per setting, each with its own URL parameter", () => {
    const keys = SETTINGS.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(SETTINGS.map((s) => s.param)).size).toBe(SETTINGS.length);
    expect([...keys].sort()).toEqual(Object.keys(defaultSettings()).sort());
  });

  it("defaults to the seed's model on the football stand-in", () => {
    const s = defaultSettings();
    const c = runConfigOf(s);
    expect(s.dataset).toBe("football");
    expect(s.points).toBe(DATASETS.football.defaults.n);
    expect(s.testFraction).toBe(DATASETS.football.defaults.testFraction);
    expect(c).toMatchObject({
      hidden: [20, 3],
      activation: "relu",
      init: "reference",
      seed: 3,
      learningRate: 0.3,
    });
    expect(c.keepProb).toBe(1);
    expect(usesDefaultData(s)).toBe(true);
    expect(() => resolveRunConfig(c)).not.toThrow();
  });

  it("round-trips every setting through the URL, both ways", () => {
    const rng = new RandomState(2024);
    for (let k = 0; k < 300; k++) {
      const s = randomSettings(rng);
      const query = serializeSettings(s);
      const back = parseSettings(`#${query}`);
      expect(back.warnings).toEqual([]);
      expect(back.settings).toEqual(s);
      expect(serializeSettings(back.settings)).toBe(query);
    }
  });

  it("keeps the speed in the link: full by default, steps per frame when set", () => {
    expect(defaultSettings().speed).toBe("full");
    expect(parseSettings("#data=moons&speed=10").settings.speed).toBe("10");
    expect(serializeSettings(parseSettings("#speed=1").settings)).toMatch(/&speed=1(&|$)/);
    const bad = parseSettings("#speed=7");
    expect(bad.settings.speed).toBe("full");
    expect(bad.warnings).toEqual(["ignored speed=7 (not a valid value)"]);
  });

  it("keeps the network kind in the link: dense by default, net=cnn for the small CNN", () => {
    expect(defaultSettings().net).toBe("dense");
    expect(parseSettings("#data=digits&net=cnn").settings.net).toBe("cnn");
    expect(parseSettings("#net=conv").warnings).toEqual(["ignored net=conv (not a valid value)"]);
  });

  it("keeps links readable: lists and points stay unescaped", () => {
    const s = { ...defaultSettings(), added: [{ x: 0.1, y: -0.25, label: 1 as const }] };
    const q = serializeSettings(s);
    expect(q).toContain("layers=20,3");
    expect(q).toContain("add=0.1,-0.25,1");
    expect(q).toContain("test=0.48661800486618007");
  });

  it("takes each dataset's own generator defaults when the link leaves them out", () => {
    const s = parseSettings("data=flower").settings;
    expect(s.noise).toBe(DATASETS.flower.defaults.noise);
    expect(s.points).toBe(DATASETS.flower.defaults.n);
    expect(s.testFraction).toBe(DATASETS.flower.defaults.testFraction);
  });

  it("ignores bad values and unknown names with a warning, keeping the defaults", () => {
    const r = parseSettings("?lr=abc&layers=20,999&keep=1.5&act=gelu&bogus=1&iters=0&n=1e2");
    expect(r.settings.learningRate).toBe(0.3);
    expect(r.settings.hidden).toEqual([20, 3]);
    expect(r.settings.keepProb).toEqual([1, 1]);
    expect(r.settings.activation).toBe("relu");
    expect(r.settings.iterations).toBe(30_000);
    expect(r.settings.points).toBe(100);
    expect(r.warnings).toHaveLength(6);
    expect(r.warnings.join("\n")).toMatch(/lr=abc/);
    expect(r.warnings.join("\n")).toMatch(/unknown setting 'bogus'/);
  });

  it("rejects what Number() would accept but is not a number", () => {
    for (const raw of ["", " ", "0x10", "Infinity", "1e400", "NaN"]) {
      expect(parseSettings(`lambda=${raw}`).settings.lambda).toBe(0);
    }
  });

  it("gives every hidden layer a keepProb and early stopping a dev set", () => {
    const a = parseSettings("layers=8,8,8&keep=0.9").settings;
    expect(a.keepProb).toEqual([0.9, 0.9, 0.9]);
    const b = parseSettings("layers=8&keep=0.9,0.8").settings;
    expect(b.keepProb).toEqual([0.9]);
    const s = { ...defaultSettings(), earlyStopping: true };
    expect(normalize(s)).toHaveLength(1);
    expect(s.devFraction).toBe(0.2);
  });

  it("writes the same run as a reglab train command line", () => {
    const s = parseSettings(
      "data=moons&layers=16,8&keep=0.9,0.8&lr=0.05&opt=adam&iters=500&every=50",
    ).settings;
    const args = cliArgsOf(s);
    expect(args.slice(0, 2)).toEqual(["--dataset", "moons"]);
    const at = (flag: string) => args[args.indexOf(flag) + 1];
    expect(at("--layers")).toBe("16,8");
    expect(at("--keep-prob")).toBe("0.9,0.8");
    expect(at("--optimizer")).toBe("adam");
    expect(at("--cost-every")).toBe("50");
    expect(args).not.toContain("--early-stopping");
    const es = cliArgsOf({ ...s, earlyStopping: true, devFraction: 0.2, patience: 5 });
    expect(es).toEqual(
      expect.arrayContaining(["--dev-fraction", "0.2", "--early-stopping", "--patience", "5"]),
    );
  });

  it("describes the run in one line", () => {
    // By default the playground trains until paused; with the stop on it says its length.
    expect(describeRun(defaultSettings(), 2)).toBe(
      "[2, 20, 3, 1] relu, reference init, seed 3 · gradient descent α = 0.3 · λ = 0 · no dropout · trains until paused",
    );
    expect(describeRun({ ...defaultSettings(), stopAt: true }, 2)).toMatch(/no dropout · 30,000 iterations$/);
    // Comparing, the line names each panel's λ or keepProb, then what they share.
    expect(
      describeRun(
        { ...defaultSettings(), compare: true, lambda: 0.7, keepProb: [0.86, 0.86], stopAt: true },
        2,
      ),
    ).toBe(
      "Compare on the same data: no regularization · L2 λ = 0.7 · dropout keepProb 0.86 (fresh masks) — [2, 20, 3, 1] relu, reference init, seed 3 · gradient descent α = 0.3 · 30,000 iterations",
    );
    const s = parseSettings("keep=0.86,1&masks=fixed&opt=adam&batch=32&es=1&patience=5").settings;
    expect(describeRun(s, 2)).toMatch(
      /Adam α = 0\.3, batches of 32 · λ = 0 · keepProb 0\.86, 1 \(fixed masks\) · early stopping, patience 5 ·/,
    );
  });
});
