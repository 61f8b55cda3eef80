/**
 * Small statistics for comparing models: Wilson intervals for accuracies, McNemar's test for two
 * models scored on the same examples, Holm's correction for testing many pairs at once, and the
 * special functions they need (erfc, the inverse
 * normal). Plain arithmetic, browser-safe.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** erf(x) = 2/√π · e^{-x²} · Σ 2ⁿx^{2n+1}/(1·3···(2n+1)); all terms positive, so no cancellation. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  const x2 = 2 * x * x;
  for (let n = 1; n < 500 && term > 1e-17 * sum; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
  }
  return (2 / SQRT_PI) * Math.exp(-x * x) * sum;
}

/** erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), by Lentz's method, for x ≥ 1. */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    d = 1 / (d === 0 ? tiny : d);
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** Complementary error function, accurate to about 1e-15 relative where erfc ≥ 1e-300. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x > 27) return 0; // below the smallest double
  return x < 1.5 ? 1 - erfSeries(x) : erfcContinuedFraction(x);
}

/** Standard normal lower-tail probability Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// Acklam's rational approximation to the inverse normal (relative error < 1.2e-9), then refined.
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/**
 * The x with Φ(x) = p. Works on the lower tail (upper-tail p are mirrored, since 1 − p is exact
 * for p ≥ ½) so the Halley step compares small probabilities without cancellation.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklam(p);
  // One Halley step on Φ(x) − p: cubic convergence takes 1e-9 to full precision.
  const e = normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp((x * x) / 2);
  x -= u / (1 + (x * u) / 2);
  return x;
}

/** P(X ≥ s) for a chi-square variable with one degree of freedom. */
export function chiSquare1Survival(s: number): number {
  return s <= 0 ? 1 : erfc(Math.sqrt(s / 2));
}

export interface Interval {
  readonly low: number;
  readonly high: number;
  readonly estimate: number;
}

/**
 * Wilson score interval for a proportion (successes out of n): unlike the normal ±z·√(p(1−p)/n)
 * interval it stays inside [0, 1] and keeps its coverage near 0 and 1 — test accuracies live there.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`number of trials must be a whole number ≥ 1, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be a whole number from 0 to ${n}, got ${successes}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be strictly between 0 and 1 (e.g. 0.95), got ${confidence}`);
  }
  const z = -normalQuantile((1 - confidence) / 2);
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half), estimate: p };
}

export interface McNemarResult {
  /** Examples model A got right and model B got wrong. */
  readonly b: number;
  /** Examples model A got wrong and model B got right. */
  readonly c: number;
  /** Continuity-corrected chi-square statistic, max(0, |b − c| − 1)² / (b + c); 0 when b + c = 0. */
  readonly statistic: number;
  /** Two-sided p-value for "both models have the same error rate". */
  readonly pValue: number;
  /** True when pValue comes from the exact binomial test (b + c < 25), false for chi-square. */
  readonly exact: boolean;
}

function correctness(v: boolean | number, which: string, i: number): boolean {
  if (v === true || v === 1) return true;
  if (v === false || v === 0) return false;
  throw new RangeError(`${which}[${i}] is ${v}; expected true/false or 1/0`);
}

/** P(X ≤ k) for X ~ Binomial(n, ½), exact for n < 53 (binomial coefficients stay integers). */
function binomialHalfCdf(k: number, n: number): number {
  let coef = 1;
  let sum = 1;
  for (let i = 1; i <= k; i++) {
    coef = (coef * (n - i + 1)) / i;
    sum += coef;
  }
  return sum / 2 ** n;
}

/**
 * McNemar's test on paired predictions: only examples where the models disagree count. Uses the
 * exact two-sided binomial test when there are fewer than 25 of them, else chi-square with
 * continuity correction.
 */
export function mcnemar(
  aCorrect: ArrayLike<boolean | number>,
  bCorrect: ArrayLike<boolean | number>,
): McNemarResult {
  if (aCorrect.length !== bCorrect.length) {
    throw new RangeError(
      `McNemar's test needs both models scored on the same examples, got ${aCorrect.length} and ${bCorrect.length}`,
    );
  }
  let b = 0;
  let c = 0;
  for (let i = 0; i < aCorrect.length; i++) {
    const a = correctness(aCorrect[i], "aCorrect", i);
    const bb = correctness(bCorrect[i], "bCorrect", i);
    if (a && !bb) b++;
    else if (!a && bb) c++;
  }
  const n = b + c;
  const statistic = n === 0 ? 0 : Math.max(0, Math.abs(b - c) - 1) ** 2 / n;
  if (n < 25) {
    // Binomial(n, ½) is symmetric, so the two-sided p is twice the smaller tail.
    const pValue = n === 0 ? 1 : Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), n));
    return { b, c, statistic, pValue, exact: true };
  }
  return { b, c, statistic, pValue: chiSquare1Survival(statistic), exact: false };
}

/** log of the Binomial(n, p) probability of exactly k, with log C(n, k) summed term by term. */
function logBinomialPmf(k: number, n: number, p: number): number {
  const j = Math.min(k, n - k);
  let logC = 0;
  for (let i = 1; i <= j; i++) logC += Math.log((n - j + i) / i);
  return logC + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p), exactly (as scipy's binom.sf(k − 1, n, p)): the p-value of the
 * one-sided test that a model with k of n right does better than rate p. Sums the smaller tail
 * outward from its largest term, so tiny p-values keep their relative precision.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number ≥ 0, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`k must be a whole number from 0 to ${n}, got ${k}`);
  }
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be a probability, got ${p}`);
  if (k === 0 || p === 1) return 1;
  if (p === 0) return 0;
  const ratio = p / (1 - p);
  if (k > n * p) {
    // Upper tail: terms fall from k upward.
    let term = Math.exp(logBinomialPmf(k, n, p));
    let sum = term;
    for (let i = k; i < n && term > 1e-17 * sum; i++) {
      term *= ((n - i) / (i + 1)) * ratio;
      sum += term;
    }
    return Math.min(1, sum);
  }
  // Lower tail P(X ≤ k − 1): terms fall from k − 1 downward.
  let term = Math.exp(logBinomialPmf(k - 1, n, p));
  let sum = term;
  for (let i = k - 1; i > 0 && term > 1e-17 * sum; i--) {
    term *= i / (n - i + 1) / ratio;
    sum += term;
  }
  return Math.max(0, 1 - sum);
}

/** Arithmetic mean; NaN for an empty list (as numpy). */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length === 0 ? Number.NaN : s / values.length;
}

/** Sample standard deviation (n − 1 in the denominator); NaN for fewer than two values. */
export function std(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/** "0.915 [0.869, 0.946]": the estimate, then the interval, to `digits` decimals. */
export function formatInterval(interval: Interval, digits = 3): string {
  const f = (v: number) => v.toFixed(digits);
  return `${f(interval.estimate)} [${f(interval.low)}, ${f(interval.high)}]`;
}

/**
 * Holm's step-down adjustment of m p-values: sorted ascending, the k-th smallest (k from 0) is
 * multiplied by m − k, capped at 1, and made non-decreasing along the order. Rejecting where the
 * adjusted p < α keeps the chance of any false "significant" among the m tests at most α
 * (as statsmodels' multipletests(method="holm")).
 */
export function holm(pValues: readonly number[]): number[] {
  for (const p of pValues)
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const out = new Array<number>(pValues.length);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (pValues.length - rank) * p));
    out[i] = running;
  });
  return out;
}
