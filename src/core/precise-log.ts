/**
 * Natural logarithm rounded correctly to the nearest double. V8's Math.log can be one ulp off
 * where the C library's log (which numpy uses) is exact, and that last bit would make our
 * Gaussian draws differ from numpy's. Evaluated in double-double arithmetic (about 100 bits):
 * log x = k·ln2 + 2·atanh(s), s = (m−1)/(m+1), x = m·2^k with m in [√½, √2).
 */

// ln 2 as an unevaluated sum hi + lo.
const LN2_HI = Math.LN2;
const LN2_LO = 2.3190468138462996e-17;
const SPLITTER = 134217729; // 2^27 + 1, for Dekker's exact product
const SERIES_TERMS = 16; // s² ≤ 0.0295, so 0.0295^16 is far below 2^-106

let hi = 0;
let lo = 0;

/** Sets (hi, lo) = a + b exactly. */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  lo = a - (s - bb) + (b - bb);
  hi = s;
}

/** Sets (hi, lo) = a·b exactly. */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  lo = ah * bh - p + ah * bl + al * bh + al * bl;
  hi = p;
}

function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const e = lo + al + bl;
  twoSum(hi, e);
}

function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const e = lo + ah * bl + al * bh;
  twoSum(hi, e);
}

function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  ddMul(q1, 0, bh, bl);
  ddAdd(ah, al, -hi, -lo);
  const q2 = hi / bh;
  twoSum(q1, q2);
}

/** Series coefficients 1/(2n+1) as double-double pairs. */
const COEF_HI = new Float64Array(SERIES_TERMS);
const COEF_LO = new Float64Array(SERIES_TERMS);
for (let n = 0; n < SERIES_TERMS; n++) {
  ddDiv(1, 0, 2 * n + 1, 0);
  COEF_HI[n] = hi;
  COEF_LO[n] = lo;
}

export function preciseLog(x: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) return Math.log(x);
  let k = Math.round(Math.log2(x));
  let m = x * 2 ** -k;
  if (!Number.isFinite(m) || m === 0) return Math.log(x); // subnormal or extreme: not needed here
  if (m > Math.SQRT2) {
    m /= 2;
    k += 1;
  } else if (m < Math.SQRT1_2) {
    m *= 2;
    k -= 1;
  }
  twoSum(m, 1);
  ddDiv(m - 1, 0, hi, lo);
  const sh = hi;
  const sl = lo;
  ddMul(sh, sl, sh, sl);
  const zh = hi;
  const zl = lo;
  let ph = COEF_HI[SERIES_TERMS - 1];
  let pl = COEF_LO[SERIES_TERMS - 1];
  for (let n = SERIES_TERMS - 2; n >= 0; n--) {
    ddMul(ph, pl, zh, zl);
    ddAdd(hi, lo, COEF_HI[n], COEF_LO[n]);
    ph = hi;
    pl = lo;
  }
  ddMul(ph, pl, 2 * sh, 2 * sl);
  const lh = hi;
  const ll = lo;
  ddMul(k, 0, LN2_HI, LN2_LO);
  ddAdd(hi, lo, lh, ll);
  return hi + lo;
}
