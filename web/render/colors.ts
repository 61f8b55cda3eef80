/** Colour tables for the canvases, from the engine's plot palette (same colours as the SVG plots). */
import { HEATMAP_INTENSITY } from "../../src/plot/boundary.js";
import {
  CLASS_COLORS,
  DIVERGING_STOPS,
  interpolate,
  type Rgb,
  SERIES_COLORS,
} from "../../src/plot/palette.js";

export { CLASS_COLORS, SERIES_COLORS };

/** 256 RGBA entries of the diverging palette at intensity `intensity` (t = k/255). */
function table(intensity: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(256 * 4);
  for (let k = 0; k < 256; k++) {
    const t = 0.5 + (k / 255 - 0.5) * intensity;
    const c: Rgb = interpolate(DIVERGING_STOPS, t);
    out[4 * k] = c[0];
    out[4 * k + 1] = c[1];
    out[4 * k + 2] = c[2];
    out[4 * k + 3] = 255;
  }
  return out;
}

/** P(class 1) → colour, as the SVG heat map (light ends so the points stay visible). */
export const PROBABILITY_LUT = table(HEATMAP_INTENSITY);
/** Full-strength palette for a unit's activation map. */
export const ACTIVATION_LUT = table(0.9);

/** Weight colours: positive blue, negative orange (the class colours). */
export const POSITIVE = "#2166ac";
export const NEGATIVE = "#e66101";
