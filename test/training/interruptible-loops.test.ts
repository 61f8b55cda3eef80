/**
 * The engine's long loops stop on an abort flag and yield to their caller by the clock, not by a
 * count of steps; stopping never changes the numbers of a run that was not stopped.
 */
import { describe, expect, it } from "vitest";
import { fromRows } from "../../src/core/matrix.js";
import {
  ensembleUncertainty,
  ensembleUncertaintyPaced,
  predictWithUncertainty,
  predictWithUncertaintyPaced,
} from "../../src/core/mc-dropout.js";
import { Network } from "../../src/core/network.js";
import { Interrupted } from "../../src/core/pace.js";
import { RandomState } from "../../src/core/random.js";
import { generateDataset } from "../../src/data/generators.js";
import { TrainingInterrupted } from "../../src/training/errors.js";
import { gradientCheck, gradientCheckPaced } from "../../src/training/gradient-check.js";
import { fit } from "../../src/training/train.js";

const moons = generateDataset("moons", { n: 60, seed: 5, testFraction: 0 }).train;
const X = fromRows([
  [-0.4, 0.2, 0.9],
  [0.3, -0.5, 0.1],
]);
const net = () => Network.initialize([2, 12, 5, 1], new RandomState(1));

/** A fake clock that a test moves by hand, and a yield that counts and may raise the flag. */
function harness(abortAtYield = Number.POSITIVE_INFINITY) {
  const state = { t: 0, yields: 0, aborted: false };
  return {
    state,
    pace: {
      signal: state,
      now: () => state.t,
      yieldControl: async () => {
        state.yields++;
        if (state.yields >= abortAtYield) state.aborted = true;
      },
    },
  };
}

/** A callback that moves the fake clock by `ms` after every step: steps that take `ms`. */
function ticks(clock: { t: number }, ms: number) {
  return {
    onIterationEnd: () => {
      clock.t += ms;
    },
  };
}

describe("MC dropout and ensembles, paced", () => {
  it("give the same numbers as the synchronous forms", async () => {
    const options = { keepProb: 0.8, samples: 40, seed: 3 };
    const { pace } = harness();
    const paced = await predictWithUncertaintyPaced(net(), X, options, pace);
    const sync = predictWithUncertainty(net(), X, options);
    expect(paced.values).toEqual(sync.values);
    expect(paced.low).toEqual(sync.low);
    expect(paced.median).toEqual(sync.median);
    const members = [net(), Network.initialize([2, 12, 5, 1], new RandomState(2))];
    expect((await ensembleUncertaintyPaced(members, X, {}, pace)).mean).toEqual(
      ensembleUncertainty(members, X).mean,
    );
  });

  it("stop with Interrupted once the flag is up, naming the pass", async () => {
    const h = harness(3);
    // Every pass costs 30 ms on the fake clock: a yield every other pass (50 ms slices).
    const slow = {
      ...h.pace,
      now: () => {
        h.state.t += 15;
        return h.state.t;
      },
    };
    await expect(
      predictWithUncertaintyPaced(net(), X, { keepProb: 0.8, samples: 1000, seed: 3 }, slow),
    ).rejects.toThrow(/interrupted at Monte Carlo dropout pass \d+ of 1000/);
    expect(h.state.yields).toBe(3);
  });

  it("an abort before the first pass stops it there", async () => {
    const h = harness();
    h.state.aborted = true;
    await expect(
      predictWithUncertaintyPaced(net(), X, { keepProb: 0.8, samples: 10 }, h.pace),
    ).rejects.toBeInstanceOf(Interrupted);
  });
});

describe("gradient check, paced", () => {
  it("gives the same numbers and, stopped, leaves the network as it was", async () => {
    const { pace } = harness();
    const a = net();
    const paced = await gradientCheckPaced(a, moons, { lambda: 0.3 }, pace);
    const sync = gradientCheck(net(), moons, { lambda: 0.3 });
    expect(paced.numeric).toEqual(sync.numeric);
    expect(paced.relativeDifference).toBe(sync.relativeDifference);

    const h = harness(2);
    const b = net();
    const before = b.parameters().map((p) => p.slice());
    const ticking = {
      ...h.pace,
      now: () => {
        h.state.t += 20;
        return h.state.t;
      },
    };
    await expect(gradientCheckPaced(b, moons, {}, ticking)).rejects.toThrow(
      /gradient check interrupted at parameter \d+ of \d+/,
    );
    expect(b.parameters()).toEqual(before);
  });
});

describe("training yields by the clock", () => {
  const config = { hidden: [5], iterations: 400, costEvery: 10 };

  it("after every step when each step outlasts a slice, rarely when steps are fast", async () => {
    const slow = harness();
    // Each step moves the fake clock by 80 ms (more than a 50 ms slice).
    await fit(moons, config, {
      ...slow.pace,
      callbacks: [ticks(slow.state, 80)],
    });
    expect(slow.state.yields).toBeGreaterThanOrEqual(399);

    const fast = harness();
    await fit(moons, config, {
      ...fast.pace,
      callbacks: [ticks(fast.state, 0.01)],
    });
    // 400 steps × 0.01 ms = 4 ms of work: under one slice, no yield at all.
    expect(fast.state.yields).toBe(0);
  });

  it("stops at the step after the flag goes up, and yielding changes no number", async () => {
    const h = harness(5);
    const stepped: number[] = [];
    const run = fit(moons, config, {
      ...h.pace,
      callbacks: [
        {
          onIterationEnd: (_ctx, i) => {
            h.state.t += 80;
            stepped.push(i);
          },
        },
      ],
    });
    await expect(run).rejects.toBeInstanceOf(TrainingInterrupted);
    // Yields after steps 0…4; the fifth raised the flag, so no step ran after it.
    expect(stepped).toEqual([0, 1, 2, 3, 4]);

    const plain = await fit(moons, config);
    const p = harness();
    const paced = await fit(moons, config, {
      ...p.pace,
      callbacks: [ticks(p.state, 80)],
    });
    expect(p.state.yields).toBeGreaterThanOrEqual(399);
    expect(paced.history.costs).toEqual(plain.history.costs);
    expect(paced.network.weights).toEqual(plain.network.weights);
  });
});
