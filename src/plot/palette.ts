/**
 * Colours. The diverging palette runs from orange/brown (class 0) through a light neutral to blue
 * (class 1), after ColorBrewer's PuOr and RdBu ends: distinguishable with every common form of
 * colour-vision deficiency, since it never asks the eye to separate red from green. Series colours
 * are the Okabe–Ito set, designed for the same purpose.
 */

export type Rgb = readonly [number, number, number];

/** Stops of the diverging palette, from t = 0 (class 0) to t = 1 (class 1), evenly spaced. */
export const DIVERGING_STOPS: readonly Rgb[] = [
  [127, 59, 8], // #7f3b08 dark brown
  [179, 88, 6], // #b35806
  [224, 130, 20], // #e08214
  [253, 184, 99], // #fdb863
  [254, 224, 182], // #fee0b6
  [247, 247, 247], // #f7f7f7 neutral
  [209, 229, 240], // #d1e5f0
  [146, 197, 222], // #92c5de
  [67, 147, 195], // #4393c3
  [33, 102, 172], // #2166ac
  [5, 48, 97], // #053061 dark blue
];

/** Marker fill colours for the two classes (strong ends of the diverging palette). */
export const CLASS_COLORS: readonly [string, string] = ["#e66101", "#2166ac"];

/** Okabe–Ito colours, in the order series get them (yellow left out: unreadable on white). */
export const SERIES_COLORS: readonly string[] = [
  "#0072b2", // blue
  "#e69f00", // orange
  "#009e73", // bluish green
  "#d55e00", // vermillion
  "#cc79a7", // reddish purple
  "#56b4e9", // sky blue
  "#000000", // black
];

export function seriesColor(i: number): string {
  return SERIES_COLORS[((i % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length];
}

function hex2(v: number): string {
  const c = Math.max(0, Math.min(255, Math.round(v)));
  return c.toString(16).padStart(2, "0");
}

export function rgbToHex(c: Rgb): string {
  return `#${hex2(c[0])}${hex2(c[1])}${hex2(c[2])}`;
}

/** Linear interpolation between two colours, t in [0, 1]. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Piecewise-linear interpolation through evenly spaced stops; t is clamped to [0, 1]. */
export function interpolate(stops: readonly Rgb[], t: number): Rgb {
  if (stops.length === 0) return [0, 0, 0];
  if (stops.length === 1 || !(t > 0)) return stops[0];
  if (t >= 1) return stops[stops.length - 1];
  const x = t * (stops.length - 1);
  const i = Math.floor(x);
  return mix(stops[i], stops[i + 1], x - i);
}

/**
 * The diverging palette at t ∈ [0, 1], as a hex string. `intensity` < 1 keeps away from the dark
 * ends (the heat map uses the lighter part so that markers on top stay visible).
 */
export function diverging(t: number, intensity = 1): string {
  const u = 0.5 + (Math.max(0, Math.min(1, t)) - 0.5) * intensity;
  return rgbToHex(interpolate(DIVERGING_STOPS, u));
}

/**
 * The palette quantized to `levels` bins of [0, 1]: entry k is the colour at the bin's centre,
 * (k + 0.5) / levels, so values in [k/levels, (k+1)/levels) get entry k and the table is symmetric
 * about 0.5. Quantizing keeps heat maps small: equal neighbours merge into one shape.
 */
export function divergingTable(levels: number, intensity = 1): string[] {
  const n = Math.max(2, Math.floor(levels));
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(diverging((k + 0.5) / n, intensity));
  return out;
}
