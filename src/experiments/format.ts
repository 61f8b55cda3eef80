/** Numbers for people: as many digits as they carry meaning, never 0.9478672985781991. */

/** 3 significant digits, no exponent for everyday sizes: 0.0123, 4.56, 78.9, 1,234. */
export function round3(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString("en-US");
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}
