import { describe, expect, it } from "vitest";
import { cli, expectUsageError } from "../support/io.js";
import { CAT_TEST_H5, CAT_TRAIN_H5, HAS_CATS, NO_CATS_REASON } from "../support/paths.js";

// The built-in football stand-in, few iterations: the machinery, not the numbers.
const SHORT = ["compare", "--iterations", "40", "--models", "none,l2", "--quiet"];

describe("compare's power statements", () => {
  it("puts one per pair in --json and one per remedy against the baseline in the notes", async () => {
    const j = JSON.parse((await cli(...SHORT, "--json")).out);
    expect(j.power).toHaveLength(1);
    const p = j.power[0];
    const pair = j.mcnemar[0];
    expect(p.disagreements).toBe(pair.onlyA + pair.onlyB);
    expect(p.method).toMatch(/Connor \(1987\)/);
    expect(p.sentence).toMatch(/^with \d+ test examples and the two models disagreeing on \d+, /);
    const text = (await cli(...SHORT)).out;
    expect(text).toMatch(
      /Power \(Connor \(1987\).*80 %, α = 0\.05\):\n {2}L2, λ = 0\.7 vs no regularization: with \d+ test examples/,
    );
  });
});

describe("compare --cv", () => {
  it("cross-validates over train and test pooled, reported as cross-validation", async () => {
    const r = await cli(...SHORT, "--cv", "3", "--repeats", "2", "--json");
    expect(r.code, r.err).toBe(0);
    const cv = JSON.parse(r.out).crossValidation;
    expect(cv.folds).toBe(3);
    expect(cv.repeats).toBe(2);
    expect(cv.method).toMatch(/Nadeau & Bengio/);
    expect(cv.models.map((m: { key: string }) => m.key)).toEqual(["none", "l2"]);
    expect(cv.models[0].folds).toHaveLength(6);
    const heldOut = cv.models[0].folds.filter((f: { repeat: number }) => f.repeat === 1);
    expect(heldOut.reduce((s: number, f: { heldOut: number }) => s + f.heldOut, 0)).toBe(cv.examples);
    expect(cv.pairs).toHaveLength(1);
  });

  it("says its progress fold by fold and prints no test score", async () => {
    const r = await cli(...SHORT.filter((a) => a !== "--quiet"), "--cv", "2");
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^fold 1 of 2, repeat 1 of 1: no regularization$/m);
    expect(r.err).toMatch(/^fold 1 of 2, repeat 1 of 1: L2, λ = 0\.7$/m);
    // Every fold of every model counts: 2 folds × 2 models, one ETA over all of them.
    expect(r.err).toMatch(/^compare: run 4 of 4 done, .+ elapsed, eta .+$/m);
    expect(r.err).not.toMatch(/ of [^4] done/);
    expect(r.out).toMatch(/^Cross-validation \(not a test score\): 2-fold, 1 repeat/m);
    expect(r.out).not.toMatch(/test accuracy/);
  });

  it("refuses what it cannot do, in one line", async () => {
    await expectUsageError([...SHORT, "--cv", "1"], /--cv: need at least 2 folds/);
    await expectUsageError([...SHORT, "--cnn"], /--cnn needs images/);
    await expectUsageError([...SHORT, "--cv", "3", "--cnn"], /--cnn needs images/);
    await expectUsageError([...SHORT, "--cv", "3", "--seeds", "2"], /--seeds is not available with --cv/);
    await expectUsageError([...SHORT, "--cv", "500"], /--cv: .*folds needs at least 500 examples/);
  });
});

describe.skipIf(!HAS_CATS)(
  `compare --cnn --cv on cats (${HAS_CATS ? "cat files present" : NO_CATS_REASON})`,
  () => {
    it("pools the 209 + 50 labelled cats and trains the CNN set", async () => {
      const r = await cli(
        "compare",
        "--data",
        CAT_TRAIN_H5,
        "--test",
        CAT_TEST_H5,
        "--cnn",
        "--cv",
        "2",
        "--iterations",
        "2",
        "--models",
        "none,flip",
        "--quiet",
        "--json",
      );
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.modelSet).toBe("rgb-cnn");
      expect(j.crossValidation.examples).toBe(259);
      expect(j.crossValidation.models.map((m: { key: string }) => m.key)).toEqual(["none", "flip"]);
    });
  },
);
