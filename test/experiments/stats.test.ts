import { describe, expect, it } from "vitest";
import {
  binomialUpperTail,
  chiSquare1Survival,
  erfc,
  formatInterval,
  holm,
  mcnemar,
  mean,
  normalQuantile,
  std,
  wilsonInterval,
} from "../../src/experiments/stats.js";

/** |got − want| ≤ rel·|want| (absolute near 0). */
function close(got: number, want: number, rel = 1e-13): void {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.max(Math.abs(want), 1e-300));
}

describe("special functions", () => {
  it("erfc matches scipy to ~1e-15 relative, far into the tail", () => {
    // python3 -c "from scipy.special import erfc; print([repr(float(erfc(x))) for x in (-1,0.5,0.9,1.4999,1.5,2,3,6,10,26)])"
    const cases: Array<[number, number]> = [
      [-1, 1.8427007929497148],
      [0.5, 0.4795001221869535],
      [0.9, 0.20309178757716784],
      [1.4999, 0.033906748337704726],
      [1.5, 0.03389485352468927],
      [2, 0.004677734981047266],
      [3, 2.2090496998585445e-5],
      [6, 2.1519736712498913e-17],
      [10, 2.0884875837625446e-45],
      [26, 5.663192408856145e-296],
    ];
    for (const [x, want] of cases) close(erfc(x), want, 5e-15);
    expect(erfc(0)).toBe(1);
    expect(erfc(40)).toBe(0);
    expect(erfc(-40)).toBe(2);
  });

  it("normalQuantile matches scipy.stats.norm.ppf", () => {
    // python3 -c "from scipy.stats import norm; print([repr(float(norm.ppf(p))) for p in (1e-300,1e-10,0.001,0.025,0.3,0.7,0.975,0.999999)])"
    const cases: Array<[number, number]> = [
      [1e-300, -37.0470962993612],
      [1e-10, -6.361340902404056],
      [0.001, -3.090232306167813],
      [0.025, -1.9599639845400545],
      [0.3, -0.5244005127080409],
      [0.7, 0.5244005127080407],
      [0.975, 1.959963984540054],
      [0.999999, 4.753424308817087],
    ];
    for (const [p, want] of cases) close(normalQuantile(p), want, 1e-15);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });

  it("chi-square(1) survival matches scipy.stats.chi2.sf", () => {
    // python3 -c "from scipy.stats import chi2; print(repr(chi2.sf(7.84,1)), repr(chi2.sf(19.602,1)))"
    close(chiSquare1Survival(7.84), 0.005110260660855866);
    close(chiSquare1Survival(19.602), 9.53693139989851e-6);
    expect(chiSquare1Survival(0)).toBe(1);
  });
});

describe("wilsonInterval", () => {
  // python3 -c "from scipy.stats import binomtest; ci=binomtest(K,N).proportion_ci(confidence_level=CL, method='wilson'); print(repr(ci.low), repr(ci.high))"
  it.each([
    [183, 200, 0.95, 0.8681041292843443, 0.9462542498225244],
    [190, 200, 0.95, 0.910421851861224, 0.9726173543992361],
    [0, 10, 0.95, 0, 0.27753279986288926],
    [10, 10, 0.95, 0.7224672001371109, 1],
    [7, 20, 0.9, 0.20226004005676104, 0.5334873111515284],
    [50, 100, 0.99, 0.37527962504483986, 0.6247203749551602],
    [1, 1, 0.95, 0.20654931437723745, 1],
  ])("%i of %i at %f matches scipy's Wilson interval", (k, n, conf, low, high) => {
    const iv = wilsonInterval(k, n, conf);
    close(iv.low, low, 1e-12);
    close(iv.high, high, 1e-12);
    expect(iv.estimate).toBe(k / n);
    expect(iv.low).toBeGreaterThanOrEqual(0);
    expect(iv.high).toBeLessThanOrEqual(1);
  });

  it("uses z = 1.959963984540054 by default", () => {
    expect(wilsonInterval(183, 200)).toEqual(wilsonInterval(183, 200, 0.95));
    close(-normalQuantile((1 - 0.95) / 2), 1.959963984540054, 1e-15);
  });

  it("rejects impossible counts and confidence levels", () => {
    expect(() => wilsonInterval(5, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(11, 10)).toThrow("successes must be a whole number from 0 to 10, got 11");
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(5, 10, 95)).toThrow("confidence must be strictly between 0 and 1");
  });

  it("formats as estimate [low, high]", () => {
    expect(formatInterval(wilsonInterval(183, 200))).toBe("0.915 [0.868, 0.946]");
    expect(formatInterval({ estimate: 0.5, low: 0.25, high: 0.75 }, 1)).toBe("0.5 [0.3, 0.8]");
  });
});

/** Correctness vectors with the given counts of (both right, only A right, only B right, both wrong). */
function paired(both: number, onlyA: number, onlyB: number, neither: number): [boolean[], number[]] {
  const a: boolean[] = [];
  const b: number[] = [];
  const push = (k: number, x: boolean, y: number) => {
    for (let i = 0; i < k; i++) {
      a.push(x);
      b.push(y);
    }
  };
  push(both, true, 1);
  push(onlyA, true, 0);
  push(onlyB, false, 1);
  push(neither, false, 0);
  return [a, b];
}

describe("mcnemar", () => {
  // python3 -c "from scipy.stats import binomtest; print(repr(binomtest(min(B,C), B+C, 0.5).pvalue))"
  it.each([
    [10, 3, 0.09228515625],
    [5, 5, 1],
    [0, 24, 1.1920928955078125e-7],
    [12, 12, 1],
    [1, 0, 1],
    [0, 0, 1],
  ])("exact binomial test for b = %i, c = %i", (b, c, p) => {
    const r = mcnemar(...paired(150, b, c, 20));
    expect(r).toMatchObject({ b, c, exact: true });
    close(r.pValue, p, 1e-14);
  });

  // python3 -c "from scipy.stats import chi2; s=max(0,abs(B-C)-1)**2/(B+C); print(repr(s), repr(chi2.sf(s,1)))"
  it.each([
    [20, 5, 7.84, 0.005110260660855866],
    [30, 40, 1.1571428571428573, 0.28205887576155575],
    [300, 200, 19.602, 9.53693139989851e-6],
    [13, 12, 0, 1],
  ])("continuity-corrected chi-square for b = %i, c = %i", (b, c, statistic, p) => {
    const r = mcnemar(...paired(100, b, c, 7));
    expect(r).toMatchObject({ b, c, exact: false });
    close(r.statistic, statistic);
    close(r.pValue, p);
  });

  it("rejects mismatched lengths and values that are not right/wrong", () => {
    expect(() => mcnemar([true, false], [true])).toThrow("same examples, got 2 and 1");
    expect(() => mcnemar([1, 0.5], [1, 0])).toThrow("aCorrect[1] is 0.5");
  });
});

describe("mean and std", () => {
  it("computes the sample standard deviation", () => {
    // python3 -c "import numpy as np; x=[0.915,0.93,0.95,0.935]; print(repr(np.mean(x)), repr(np.std(x, ddof=1)))"
    close(mean([0.915, 0.93, 0.95, 0.935]), 0.9325, 1e-15);
    close(std([0.915, 0.93, 0.95, 0.935]), 0.014433756729740612, 1e-13);
    expect(std(new Float64Array([2, 4, 4, 4, 5, 5, 7, 9]))).toBeCloseTo(2.138089935299395, 14);
  });

  it("returns NaN where the statistic is undefined, as numpy does", () => {
    expect(mean([])).toBeNaN();
    expect(std([1])).toBeNaN();
  });
});

describe("binomialUpperTail: one-sided exact test against a baseline rate", () => {
  // [k, n, p, scipy.stats.binom.sf(k - 1, n, p)] from scipy 1.x, computed once and written here.
  const SCIPY: Array<[number, number, number, number]> = [
    [191, 200, 0.95, 0.4547098086808181],
    [196, 200, 0.95, 0.026446800009119954],
    [200, 200, 0.95, 3.505266624882874e-5],
    [0, 10, 0.3, 1.0],
    [1, 10, 0.3, 0.9717524751],
    [7, 10, 0.3, 0.010592078399999996],
    [10, 10, 0.3, 5.9048999999999975e-6],
    [60, 100, 0.5, 0.028443966820490444],
    [5, 5, 0.999, 0.995009990004999],
    [5000, 9000, 0.5, 2.7907007835071953e-26],
    [4600, 9000, 0.5, 0.01796537531865409],
    [120, 200, 0.6, 0.5306621576808428],
    [950, 1000, 0.95, 0.537529040801425],
    [30, 30, 0.5, 9.313225746154785e-10],
  ];
  it.each(SCIPY)("P(X ≥ %i), n = %i, p = %f agrees with scipy", (k, n, p, expected) => {
    const got = binomialUpperTail(k, n, p);
    expect(Math.abs(got - expected) / expected).toBeLessThan(1e-9);
  });

  it("is 1 at k = 0, 0 for p = 0 and k > 0, and refuses impossible arguments", () => {
    expect(binomialUpperTail(0, 5, 0.5)).toBe(1);
    expect(binomialUpperTail(3, 5, 0)).toBe(0);
    expect(binomialUpperTail(3, 5, 1)).toBe(1);
    expect(() => binomialUpperTail(6, 5, 0.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(1, 5, 1.5)).toThrow(RangeError);
  });
});

describe("holm", () => {
  // Worked by hand: sort ascending, multiply the k-th smallest (k from 0) by m − k, cap at 1,
  // carry the running maximum along the sorted order, put each back in its place.
  it("matches hand-worked step-down adjustments", () => {
    // 0.005·4 = 0.02; 0.01·3 = 0.03; 0.03·2 = 0.06; 0.04·1 = 0.04 → raised to 0.06.
    const a = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((want, i) => {
      close(a[i], want, 1e-15);
    });
    // statsmodels' multipletests([.01, .02, .03, .04, .05], method="holm")[1]: .05 .08 .09 .09 .09.
    const b = holm([0.01, 0.02, 0.03, 0.04, 0.05]);
    [0.05, 0.08, 0.09, 0.09, 0.09].forEach((want, i) => {
      close(b[i], want, 1e-15);
    });
  });

  it("caps at 1, keeps ties equal, and leaves a single test alone", () => {
    expect(holm([0.5, 0.9, 0.2])).toEqual([1, 1, 0.6000000000000001]);
    expect(holm([0.02, 0.02])).toEqual([0.04, 0.04]);
    expect(holm([0.037])).toEqual([0.037]);
    expect(holm([])).toEqual([]);
  });

  it("never makes a p-value smaller, and keeps their order", () => {
    const ps = [0.3, 0.001, 0.04, 0.2, 0.011, 0.5, 0.0002];
    const adj = holm(ps);
    ps.forEach((p, i) => {
      expect(adj[i]).toBeGreaterThanOrEqual(p);
      ps.forEach((q, j) => {
        if (p < q) expect(adj[i]).toBeLessThanOrEqual(adj[j]);
      });
    });
  });

  it("refuses what is not a probability", () => {
    expect(() => holm([0.1, 1.5])).toThrow("p-values must be in [0, 1], got 1.5");
    expect(() => holm([Number.NaN])).toThrow("got NaN");
  });
});
