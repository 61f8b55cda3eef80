/**
 * A drawn digit made to look like an MNIST one, as MNIST's own digits were made: the ink's
 * bounding box scaled (keeping its aspect) so its longer side is 20 pixels, with anti-aliasing (each
 * small pixel the area-weighted mean of the large ones it covers), then placed in a 28 × 28 image
 * so that its centre of mass lies at the centre. Pure: the page gives it the pad's grey levels.
 */

export const SIDE = 28;
const BOX = 20;
/** Grey levels at or below this are paper, not ink. */
const INK = 0.02;

/** Area-weighted resampling of the w × h region at (x0, y0) of `src` (row-major, width sw) to tw × th. */
function resample(
  src: Float32Array,
  sw: number,
  box: { x0: number; y0: number; w: number; h: number },
  tw: number,
  th: number,
): Float64Array {
  const out = new Float64Array(tw * th);
  const sx = box.w / tw;
  const sy = box.h / th;
  for (let ty = 0; ty < th; ty++) {
    const ya = box.y0 + ty * sy;
    const yb = ya + sy;
    for (let tx = 0; tx < tw; tx++) {
      const xa = box.x0 + tx * sx;
      const xb = xa + sx;
      let sum = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          sum += wx * wy * src[y * sw + x];
        }
      }
      out[ty * tw + tx] = sum / (sx * sy);
    }
  }
  return out;
}

/**
 * The 784 inputs (row-major, 0 = paper … 1 = ink) of a drawing given as grey levels in [0, 1]
 * (width × height, row-major), or undefined when nothing is drawn.
 */
export function preprocessDigit(grey: Float32Array, width: number, height: number): Float64Array | undefined {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (grey[y * width + x] <= INK) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return undefined;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const scale = BOX / Math.max(w, h);
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));
  const small = resample(grey, width, { x0, y0, w, h }, tw, th);
  // Centre of mass, pixel centres at index + 0.5.
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const ox = Math.round(SIDE / 2 - mx / mass);
  const oy = Math.round(SIDE / 2 - my / mass);
  const out = new Float64Array(SIDE * SIDE);
  for (let y = 0; y < th; y++) {
    const Y = y + oy;
    if (Y < 0 || Y >= SIDE) continue;
    for (let x = 0; x < tw; x++) {
      const X = x + ox;
      if (X >= 0 && X < SIDE) out[Y * SIDE + X] = Math.min(1, small[y * tw + x]);
    }
  }
  return out;
}
