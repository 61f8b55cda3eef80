/**
 * The natural logarithm exactly as glibc's `log` (2.28 and later) returns it on a processor with
 * fused multiply-add (its FMA variant, which x86-64 machines since 2013 run): numpy's Gaussian
 * draws take this log of r², so matching its every bit, including the results that are not
 * correctly rounded (about 1 in 1 200 of the polar method's inputs), makes our normal draws
 * numpy's. numpy elsewhere (another C library, or no FMA) may differ from these in a last bit,
 * rarely; ours are the same on every JavaScript engine. The algorithm is glibc's (x = 2^k·z,
 * z/c − 1 from a 128-entry table, a degree-5 polynomial; a degree-11 one within 2^-4 of 1), with
 * the constants in glibc-log-table.ts. JavaScript has no fused multiply-add, so each log is first
 * evaluated with plain operations and an error bound; where the bound leaves the last rounding in
 * doubt (about 1 input in 700), the fused steps are emulated exactly (glibcLogExact).
 */
import { A, B, INV_C, LN2_HI, LN2_LO, LOG_C } from "./glibc-log-table.js";

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

const SPLITTER = 134217729; // 2^27 + 1: Veltkamp's split, for Dekker's exact product
const U = 2 ** -53;
/** Four times the sum of the terms' magnitudes, in units of 2^-53: twice what the roundings reach. */
const SLACK = 8 * U;

// The glibc's bounds on the high word of x: [1 − 2^-4, 1 + 0x1.09p-4) takes the path near 1,
// and z = x / 2^k lies in [0x1.6p-1, 0x1.6p0) (OFF is 0x1.6p-1's high word).
const NEAR_ONE_LO = 0x3fee0000;
const NEAR_ONE_SPAN = 0x3ff10900 - 0x3fee0000;
const OFF = 0x3fe60000;

/** 1/c split as Veltkamp's split would (26 + 27 bits), for Dekker's product in the fast path. */
const INV_C_HI = INV_C.map((c) => {
  const t = SPLITTER * c;
  return t - (t - c);
});
const INV_C_LO = INV_C.map((c, i) => c - INV_C_HI[i]);

/** UNSCALE[e + 1023] = 2^-e, e in [-1023, 1024]: z = x·2^-e is exact (cheaper than rewriting bits). */
const UNSCALE = new Float64Array(2048);
UNSCALE[1023] = 1;
for (let e = 1; e <= 1024; e++) UNSCALE[1023 + e] = UNSCALE[1022 + e] / 2;
for (let e = -1; e >= -1023; e--) UNSCALE[1023 + e] = UNSCALE[1024 + e] * 2;

const A0 = A[0];
const A1 = A[1];
const A2 = A[2];
const A3 = A[3];
const A4 = A[4];
const B0 = B[0];

/** The low part e of a·b = p + e, p = fl(a·b) (Dekker's algorithm; exact barring underflow). */
function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * fma(a, b, c): a·b + c rounded once, by Boldo and Melquiond's emulation (the product and one
 * sum exact, the other sum rounded to odd, then one rounding to nearest).
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  const e = productError(a, b, p);
  const th = c + p;
  let bb = th - c;
  const tl = c - (th - bb) + (p - bb);
  let v = tl + e;
  bb = v - tl;
  const ve = tl - (v - bb) + (e - bb);
  if (ve !== 0) {
    F64[0] = v;
    if ((U32[LO] & 1) === 0) {
      // Round to odd: the neighbour of v on ve's side (an even last bit has no carry on +1).
      if (v > 0 === ve > 0) U32[LO] += 1;
      else if (U32[LO] === 0) {
        U32[LO] = 0xffffffff;
        U32[HI] -= 1;
      } else U32[LO] -= 1;
      v = F64[0];
    }
  }
  return th + v;
}

/** log of 0, a negative number, ∞ or NaN, as glibc returns it. */
function special(x: number): number {
  if (x === 0) return Number.NEGATIVE_INFINITY;
  return x === Number.POSITIVE_INFINITY ? x : Number.NaN;
}

const ONE_IN = new Float64Array(1);
const ONE_OUT = new Float64Array(1);

/** glibc's log, bit for bit (see the file's comment). */
export function glibcLog(x: number): number {
  ONE_IN[0] = x;
  glibcLogInto(ONE_IN, ONE_OUT, 1);
  return ONE_OUT[0];
}

/**
 * out[i] = glibcLog(xs[i]) for i < n (out may be xs). The loop holds the common path's arithmetic
 * inline and writes doubles into an array: a log returned from a call per value costs a boxed
 * number each, which made the polar method's logs half its time (RandomState.randn draws through here).
 */
export function glibcLogInto(xs: Float64Array, out: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const x = xs[j];
    F64[0] = x;
    let hx = U32[HI];
    if ((hx - NEAR_ONE_LO) >>> 0 < NEAR_ONE_SPAN) {
      nearOne(x, out, j);
      continue;
    }
    let k = 0;
    let xs2 = x;
    if (((hx >>> 16) - 0x10) >>> 0 >= 0x7fe0) {
      if (!(x > 0) || x === Number.POSITIVE_INFINITY) {
        out[j] = special(x);
        continue;
      }
      xs2 = x * 4503599627370496; // 2^52: a subnormal's bits read as a normal's, as glibc does
      F64[0] = xs2;
      hx = U32[HI];
      k = -52;
    }
    // x = 2^kd·z with z in [0x1.6p-1, 0x1.6p0); the top 7 bits of z's fraction pick the entry.
    const tmp = (hx - OFF) | 0;
    const i = (tmp >>> 13) & 127;
    const e = tmp >> 20;
    const z = xs2 * UNSCALE[e + 1023];
    const kd = e + k;
    // r = fma(z, 1/c, −1): z·(1/c) = p + e exactly (Dekker, 1/c split ahead), and p − 1 is exact.
    const p = z * INV_C[i];
    const t0 = SPLITTER * z;
    const zh = t0 - (t0 - z);
    const zl = z - zh;
    const ch = INV_C_HI[i];
    const cl = INV_C_LO[i];
    const r = p - 1 + (zh * ch - p + zh * cl + zl * ch + zl * cl);
    const w = kd * LN2_HI + LOG_C[i]; // exact by the table's construction
    const hi = w + r;
    const lo0 = w - hi + r;
    const r2 = r * r;
    const r3 = r * r2;
    // glibc: y = fma(r3, P, fma(r2, A0, fma(kd, LN2_LO, lo0))) + hi, P = fma(fma(r,A4,A3), r2, fma(r,A2,A1)).
    const poly = (r * A4 + A3) * r2 + (r * A2 + A1);
    const k2 = kd * LN2_LO;
    const s = r2 * A0 + (k2 + lo0);
    const rp = r3 * poly;
    const t = rp + s;
    // |rp| < 2^-9·r2 and |t| ≤ r2/2 + |k2| + |lo0| + |rp|: twice the sum below covers all five terms.
    const bound = 2 * SLACK * (r2 + Math.abs(k2) + Math.abs(lo0));
    const low = hi + (t - bound);
    out[j] = low === hi + (t + bound) ? low : tablePathExact(kd, i, z);
  }
}

function tablePathExact(kd: number, i: number, z: number): number {
  const r = fma(z, INV_C[i], -1);
  const w = fma(kd, LN2_HI, LOG_C[i]);
  const hi = w + r;
  const lo = fma(kd, LN2_LO, w - hi + r);
  const r2 = r * r;
  const r3 = r * r2;
  const poly = fma(fma(r, A4, A3), r2, fma(r, A2, A1));
  return fma(r3, poly, fma(r2, A0, lo)) + hi;
}

/** q(r) = B1 + r·B2 + r²·B3 + r³·(B4 + … + r³·(B7 + r·B8 + r²·B9 + r³·B10)), fused where glibc fuses. */
function nearOnePolyExact(r: number, r2: number, r3: number): number {
  const q1 = fma(r2, B[3], fma(r, B[2], B[1]));
  const q2 = fma(r2, B[6], fma(r, B[5], B[4]));
  const q3 = fma(r3, B[10], fma(r2, B[9], fma(r, B[8], B[7])));
  return fma(fma(q3, r3, q2), r3, q1);
}

/** out[j] = log(x) for x within 2^-4 of 1 (stored, not returned: a returned double is boxed). */
function nearOne(x: number, out: Float64Array, j: number): void {
  if (x === 1) {
    out[j] = 0;
    return;
  }
  const r = x - 1;
  const r2 = r * r;
  const r3 = r * r2;
  // log1p(r) = hi + lo + r³·q(r): hi = r − rhi²/2 with rhi r's top 26 bits, so rhi² is exact.
  const w = r * 134217728;
  const rhi = r + w - w;
  const rlo = r - rhi;
  const h = rhi * rhi * B0;
  const hi = r + h;
  const lo = r - hi + h;
  const cross = B0 * rlo;
  const sum = rhi + r;
  // glibc: y = fma(q, r3, fma(B0·rlo, rhi + r, lo)) + hi.
  const q =
    B[1] +
    r * B[2] +
    r2 * B[3] +
    r3 * (B[4] + r * B[5] + r2 * B[6] + r3 * (B[7] + r * B[8] + r2 * B[9] + r3 * B[10]));
  const c = cross * sum;
  const qr = q * r3;
  const t = qr + (c + lo);
  const bound = SLACK * (Math.abs(r3) + Math.abs(c) + Math.abs(lo) + Math.abs(t));
  const low = hi + (t - bound);
  out[j] = low === hi + (t + bound) ? low : fma(nearOnePolyExact(r, r2, r3), r3, fma(cross, sum, lo)) + hi;
}

/** glibc's log with every fused step emulated: the reference glibcLog's fast path must agree with. */
export function glibcLogExact(x: number): number {
  F64[0] = x;
  let hx = U32[HI];
  if ((hx - NEAR_ONE_LO) >>> 0 < NEAR_ONE_SPAN) {
    if (x === 1) return 0;
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    const w = r * 134217728;
    const rhi = r + w - w;
    const h = rhi * rhi * B0;
    const hi = r + h;
    const lo = r - hi + h;
    return fma(nearOnePolyExact(r, r2, r3), r3, fma(B0 * (r - rhi), rhi + r, lo)) + hi;
  }
  let k = 0;
  let xs = x;
  if (((hx >>> 16) - 0x10) >>> 0 >= 0x7fe0) {
    if (!(x > 0) || x === Number.POSITIVE_INFINITY) return special(x);
    xs = x * 4503599627370496;
    F64[0] = xs;
    hx = U32[HI];
    k = -52;
  }
  const tmp = (hx - OFF) | 0;
  const e = tmp >> 20;
  return tablePathExact(e + k, (tmp >>> 13) & 127, xs * UNSCALE[e + 1023]);
}
