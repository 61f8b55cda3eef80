/**
 * Deterministic elementary functions: the same bits on every JavaScript engine.
 *
 * `Math.exp`, `Math.log1p`, `Math.tanh`, `Math.sin` and `Math.cos` are only required to be close,
 * and engines differ in the last bit (Node 20's V8 and a current Chromium disagree on about one
 * `Math.exp` call in ten), so the same seed would train differently in the browser and the CLI.
 * These use only IEEE additions, multiplications, divisions and exact operations (rounding to an
 * integer, scaling by powers of two), which every engine performs identically. Each is within a
 * few ulp of the true value (one or two for exp, log1p, sin and cos): argument reduction by a two-
 * or three-part constant (Cody–Waite), then a Taylor polynomial on a small interval.
 */

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 1 : 0;

/** 2^k for an integer k in [-1022, 1023], built from its bits. */
function twoPow(k: number): number {
  U32[HI] = (k + 1023) << 20;
  U32[1 - HI] = 0;
  return F64[0];
}

/** POW2[k + 1022] = 2^k for k in [-1022, 1023]: a table lookup is cheaper than bit twiddling. */
const POW2 = new Float64Array(2046);
for (let k = -1022; k <= 1023; k++) POW2[k + 1022] = twoPow(k);

/** x · 2^k for any integer k that keeps the result representable (or over/underflowing). */
function scale(x: number, k: number): number {
  if (k > 1023) return x * 2 * POW2[k - 1 + 1022];
  if (k < -1022) return x * POW2[k + 1000 + 1022] * POW2[-1000 + 1022];
  return x * POW2[k + 1022];
}

// ln 2 = LN2_HI + LN2_LO, with LN2_HI's 32 significant bits so that k · LN2_HI is exact.
export const LN2_HI = 0.6931471806019545;
export const LN2_LO = -4.2009150726810846e-11;
const HALF_LN2 = 0.34657359027997264;

/** INV_FACT[n] = 1/n! (correctly rounded up to 18!, where n! stops being exact in a double). */
export const INV_FACT = new Float64Array(20);
for (let n = 0, f = 1; n < 20; n++) {
  f *= n || 1;
  INV_FACT[n] = 1 / f;
}

/** The last Taylor term expm1Small keeps (wasm/sigmoid-module.ts evaluates the same polynomial). */
export const EXPM1_DEGREE = 15;
/** Beyond these, e^x overflows to ∞ or underflows to 0. */
export const EXP_OVERFLOW = 709.782712893384;
export const EXP_UNDERFLOW = -745.1332191019412;

/** e^r − 1 for |r| ≤ ln2/2, as r + r²·Σ_{n≥2} r^{n−2}/n!, to r¹⁵ (the next term is < 2^-60 · r). */
function expm1Small(r: number): number {
  let p = INV_FACT[EXPM1_DEGREE];
  for (let n = EXPM1_DEGREE - 1; n >= 2; n--) p = p * r + INV_FACT[n];
  return r + r * r * p;
}

export function exp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > EXP_OVERFLOW) return Number.POSITIVE_INFINITY;
  if (x < EXP_UNDERFLOW) return 0;
  const k = Math.round(x * Math.LOG2E);
  const r = x - k * LN2_HI - k * LN2_LO;
  return scale(1 + expm1Small(r), k);
}

/** e^x − 1, accurate near 0. */
export function expm1(x: number): number {
  if (Number.isNaN(x)) return x;
  if (Math.abs(x) <= HALF_LN2) return expm1Small(x);
  if (x < -40) return -1;
  return exp(x) - 1;
}

// 2/(2n+1): log m = 2·atanh(s) = 2s + s·Σ_{n≥1} 2 s^{2n}/(2n+1), s = (m−1)/(m+1).
const ATANH = new Float64Array(13);
for (let n = 0; n < 13; n++) ATANH[n] = 2 / (2 * n + 1);

/** Natural log of a positive, finite x. */
function logPositive(x: number): number {
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: lift subnormals so their exponent is read right
    k = -54;
  }
  F64[0] = x;
  const bits = U32[HI];
  k += (bits >>> 20) - 1023;
  // m in [1, 2), then moved to [√½, √2) so |s| ≤ 0.1716 and the series converges fast.
  U32[HI] = (bits & 0x000fffff) | 0x3ff00000;
  let m = F64[0];
  if (m > Math.SQRT2) {
    m *= 0.5;
    k += 1;
  }
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  let p = ATANH[12];
  for (let n = 11; n >= 1; n--) p = p * z + ATANH[n];
  const logm = 2 * s + s * (z * p);
  return k * LN2_HI + (logm + k * LN2_LO);
}

/** log(1 + x), accurate near 0. */
export function log1p(x: number): number {
  if (Number.isNaN(x) || x < -1) return Number.NaN;
  if (x === -1) return Number.NEGATIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return x;
  const u = 1 + x;
  if (u === 1) return x;
  // log(u) corrected for the rounding of 1 + x: log(1+x) ≈ log u − ((u − 1) − x)/u.
  return logPositive(u) - (u - 1 - x) / u;
}

export function tanh(x: number): number {
  if (Number.isNaN(x)) return x;
  const a = Math.abs(x);
  if (a > 22) return x > 0 ? 1 : -1;
  if (a < 3.725290298461914e-9) return x; // 2^-28: tanh x = x to double precision
  const e = expm1(2 * a);
  const t = e / (e + 2);
  return x < 0 ? -t : t;
}

// π/2 = PIO2_1 + PIO2_2 + PIO2_3, the first two with 33 significant bits so k·PIO2_i is exact.
const PIO2_1 = 1.5707963267341256;
const PIO2_2 = 6.077100506303966e-11;
const PIO2_3 = 2.0222662487959506e-21;
const TWO_OVER_PI = 0.6366197723675814;

/** (−1)^k/(2k+1)! and (−1)^k/(2k)!: the Taylor coefficients of sin and cos. */
const SIN_C = new Float64Array(10);
const COS_C = new Float64Array(10);
for (let k = 0; k < 10; k++) {
  SIN_C[k] = (k % 2 ? -1 : 1) * INV_FACT[2 * k + 1];
  COS_C[k] = (k % 2 ? -1 : 1) * INV_FACT[2 * k];
}

/** sin r for |r| ≤ π/4: r + r·z·Σ_{k≥1} SIN_C[k] z^{k−1}, z = r², to r¹⁹. */
function sinSmall(r: number): number {
  const z = r * r;
  let p = SIN_C[9];
  for (let k = 8; k >= 1; k--) p = SIN_C[k] + z * p;
  return r + r * z * p;
}

/** cos r for |r| ≤ π/4: 1 − z/2 + z²·Σ_{k≥2} COS_C[k] z^{k−2}, to r¹⁸. */
function cosSmall(r: number): number {
  const z = r * r;
  let q = COS_C[9];
  for (let k = 8; k >= 2; k--) q = COS_C[k] + z * q;
  return 1 - (0.5 * z - z * z * q);
}

/** Reduces x to r in [−π/4, π/4] and its quadrant; accurate for |x| < 2^20 · π/2. */
function reduce(x: number): [number, number] {
  const k = Math.round(x * TWO_OVER_PI);
  const r = x - k * PIO2_1 - k * PIO2_2 - k * PIO2_3;
  return [r, k & 3];
}

export function sin(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  const [r, q] = reduce(x);
  if (q === 0) return sinSmall(r);
  if (q === 1) return cosSmall(r);
  if (q === 2) return -sinSmall(r);
  return -cosSmall(r);
}

export function cos(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  const [r, q] = reduce(x);
  if (q === 0) return cosSmall(r);
  if (q === 1) return -sinSmall(r);
  if (q === 2) return -cosSmall(r);
  return sinSmall(r);
}

/** b^n for a non-negative integer n, by repeated squaring. */
export function powInt(b: number, n: number): number {
  let result = 1;
  let base = b;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result *= base;
    base *= base;
  }
  return result;
}
