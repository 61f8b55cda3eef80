import { describe, expect, it } from "vitest";
import { preprocessDigit, SIDE } from "../../web/digits/preprocess.js";

/** A w × h drawing with ink (1) where `ink(x, y)` holds. */
function drawing(w: number, h: number, ink: (x: number, y: number) => boolean): Float32Array {
  const g = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) g[y * w + x] = ink(x, y) ? 1 : 0;
  return g;
}

function box(img: Float64Array) {
  let x0 = SIDE;
  let x1 = -1;
  let y0 = SIDE;
  let y1 = -1;
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = img[y * SIDE + x];
      if (v <= 0) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return { w: x1 - x0 + 1, h: y1 - y0 + 1, cx: mx / mass, cy: my / mass };
}

describe("a drawn digit preprocessed as MNIST's were", () => {
  it("scales the ink's box to 20 pixels on its longer side, keeping the aspect, centred by mass", () => {
    // A tall bar (40 × 160) in the top-left corner of a 280 × 280 pad.
    const img = preprocessDigit(
      drawing(280, 280, (x, y) => x >= 10 && x < 50 && y >= 5 && y < 165),
      280,
      280,
    )!;
    expect(img).toHaveLength(784);
    const b = box(img);
    expect(b.h).toBe(20);
    expect(b.w).toBe(5);
    expect(Math.abs(b.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(b.cy - 14)).toBeLessThanOrEqual(0.5);
    for (const v of img) expect(v >= 0 && v <= 1).toBe(true);
  });

  it("keeps the mass where it is heavy: an L's centre of mass, not its box centre, goes to the middle", () => {
    // An L: a thick vertical bar and a thin foot; its mass sits left of its box's centre.
    const img = preprocessDigit(
      drawing(200, 200, (x, y) => x < 60 || y >= 160),
      200,
      200,
    )!;
    const b = box(img);
    expect(Math.abs(b.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(b.cy - 14)).toBeLessThanOrEqual(0.5);
    // The box is 20 wide but does not start at column 4 (where a box-centred one would).
    expect(b.w).toBe(20);
    const firstInk = [...img].findIndex((v) => v > 0) % SIDE;
    expect(firstInk).toBeGreaterThan(4);
  });

  it("anti-aliases (partial pixels get partial ink) and gives nothing for an empty pad", () => {
    const img = preprocessDigit(
      drawing(100, 100, (x, y) => (x - 50) ** 2 + (y - 50) ** 2 < 37 ** 2),
      100,
      100,
    )!;
    expect([...img].some((v) => v > 0 && v < 1)).toBe(true);
    expect(preprocessDigit(new Float32Array(100 * 100), 100, 100)).toBeUndefined();
  });
});
