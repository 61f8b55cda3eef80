/**
 * Scales map data values to pixels; tick generators pick "nice" round values for axes.
 */

export interface Scale {
  readonly kind: "linear" | "log";
  /** [d0, d1]: the data interval shown (for log scales, both > 0). */
  readonly domain: readonly [number, number];
  /** [r0, r1]: the pixel interval it maps to (r1 < r0 for a y axis). */
  readonly range: readonly [number, number];
  /** Data value to pixel. Values outside the domain extrapolate; log of ≤ 0 gives NaN. */
  map(v: number): number;
  /** Pixel to data value. */
  invert(px: number): number;
  /** Labelled tick values inside the domain. */
  ticks(count?: number): number[];
  /** Unlabelled minor tick values (log scales: 2…9 × 10^k); may be empty. */
  minorTicks(): number[];
  /** Text for a tick value, consistent across the ticks of this scale. */
  format(v: number, ticks?: readonly number[]): string;
}

/** Rounds away floating noise such as 0.30000000000000004. */
function clean(v: number): number {
  return Number.parseFloat(v.toPrecision(12));
}

/** A round step (1, 2, 2.5 or 5 × 10^k) close to `span / count`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const nice = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10;
  return nice * mag;
}

/** Round tick values in [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 6): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) return [clean(min)];
  const step = niceStep(max - min, count);
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const out: number[] = [];
  for (let k = first; k <= last; k++) out.push(clean(k * step));
  return out;
}

/** Extends [min, max] outwards to multiples of a nice step (so the axis ends on a tick). */
export function niceDomain(min: number, max: number, count = 6): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - pad, max + pad];
  }
  const step = niceStep(max - min, count);
  return [clean(Math.floor(min / step + 1e-9) * step), clean(Math.ceil(max / step - 1e-9) * step)];
}

/** Decimals needed to write every value of `ticks` exactly (up to 6). */
function decimalsFor(ticks: readonly number[]): number {
  let d = 0;
  for (const t of ticks) {
    while (d < 6 && Math.abs(clean(t * 10 ** d) - Math.round(t * 10 ** d)) > 1e-9) d++;
  }
  return d;
}

/** Writes a tick value: fixed decimals shared by the axis, exponent form for huge/tiny values. */
export function formatTick(v: number, ticks: readonly number[] = [v]): string {
  if (v === 0) return "0";
  const maxAbs = ticks.reduce((m, t) => Math.max(m, Math.abs(t)), 0);
  const d = decimalsFor(ticks);
  if (maxAbs >= 1e6 || d > 5) return formatPower(v);
  const s = v.toFixed(d);
  return s.startsWith("-") ? `\u2212${s.slice(1)}` : s;
}

/** 1e-7 style for values far from 1 (ASCII-friendly, readable in any font). */
function formatPower(v: number): string {
  const e = Math.floor(Math.log10(Math.abs(v)) + 1e-9);
  const m = clean(v / 10 ** e);
  const sign = m < 0 ? "\u2212" : "";
  const mant = Math.abs(m) === 1 ? "1" : String(Math.abs(m));
  return `${sign}${mant}e${e < 0 ? "\u2212" : ""}${Math.abs(e)}`;
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return {
    kind: "linear",
    domain: [d0, d1],
    range: [r0, r1],
    map: (v) => r0 + (v - d0) * k,
    invert: (px) => (k === 0 ? d0 : d0 + (px - r0) / k),
    ticks: (count = 6) => niceTicks(Math.min(d0, d1), Math.max(d0, d1), count),
    minorTicks: () => [],
    format: (v, ticks) => formatTick(v, ticks),
  };
}

/** Powers of ten in [min, max]. */
export function logTicks(min: number, max: number): number[] {
  const out: number[] = [];
  if (!(min > 0) || !(max > 0)) return out;
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  for (let e = lo; e <= hi; e++) out.push(clean(10 ** e));
  return out;
}

/** m × 10^k values in [min, max] for the given mantissas. */
function mantissaTicks(min: number, max: number, mantissas: readonly number[]): number[] {
  const out: number[] = [];
  const lo = Math.floor(Math.log10(min)) - 1;
  const hi = Math.ceil(Math.log10(max)) + 1;
  for (let e = lo; e <= hi; e++) {
    for (const m of mantissas) {
      const v = clean(m * 10 ** e);
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** Writes a log-axis tick: plain decimals between 1e-4 and 1e5, else 1e−7 style. */
export function formatLogTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e5) {
    const d = decimalsFor([v]);
    return v.toFixed(d);
  }
  return formatPower(v);
}

/**
 * A base-10 log scale. Labelled ticks are the powers of ten inside the domain; when the domain
 * holds fewer than two, 2× and 5× values are labelled too (then every 1…9 × 10^k if needed).
 */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  if (!(d0 > 0) || !(d1 > 0)) throw new RangeError(`log scale needs a positive domain, got [${d0}, ${d1}]`);
  const [r0, r1] = range;
  const l0 = Math.log10(d0);
  const l1 = Math.log10(d1);
  const k = l1 === l0 ? 0 : (r1 - r0) / (l1 - l0);
  const lo = Math.min(d0, d1);
  const hi = Math.max(d0, d1);
  const major = (): number[] => {
    let t = logTicks(lo, hi);
    if (t.length < 2) t = mantissaTicks(lo, hi, [1, 2, 5]);
    if (t.length < 2) t = mantissaTicks(lo, hi, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    if (t.length < 2) t = niceTicks(lo, hi, 4).filter((v) => v > 0);
    return t;
  };
  return {
    kind: "log",
    domain: [d0, d1],
    range: [r0, r1],
    map: (v) => (v > 0 ? r0 + (Math.log10(v) - l0) * k : Number.NaN),
    invert: (px) => (k === 0 ? d0 : 10 ** (l0 + (px - r0) / k)),
    ticks: () => major(),
    minorTicks: () => {
      const labelled = new Set(major());
      // Skip minor ticks when decades are so many that they would form a grey smear.
      if (Math.log10(hi / lo) > 8) return [];
      return mantissaTicks(lo, hi, [1, 2, 3, 4, 5, 6, 7, 8, 9]).filter((v) => !labelled.has(v));
    },
    format: (v) => formatLogTick(v),
  };
}

/** Pads a positive interval by `fraction` of its width in log space. */
export function padLogDomain(min: number, max: number, fraction = 0.05): [number, number] {
  if (min === max) return [min / 2, max * 2];
  const l0 = Math.log10(min);
  const l1 = Math.log10(max);
  const pad = (l1 - l0) * fraction;
  return [10 ** (l0 - pad), 10 ** (l1 + pad)];
}
