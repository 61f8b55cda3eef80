import { describe, expect, it } from "vitest";
import { contourLines, gridPoints, sampleGrid } from "../../src/plot/grid.js";

const view = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };

describe("grid sampling", () => {
  it("lays out cell centres as columns, row by row from yMin", () => {
    const X = gridPoints(view, 2, 2);
    expect([X.rows, X.cols]).toEqual([2, 4]);
    expect(Array.from(X.data)).toEqual([-0.5, 0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5]);
  });

  it("rejects a wrong number of predictions and a tiny grid", () => {
    expect(() => sampleGrid(() => new Float64Array(3), view, 2, 2)).toThrow(/3 values for 4/);
    expect(() => sampleGrid(() => new Float64Array(1), view, 1, 1)).toThrow(/≥ 2/);
  });
});

describe("marching squares", () => {
  it("traces a straight boundary as one open polyline on the line", () => {
    const g = sampleGrid(
      (X) => {
        const m = X.cols;
        const out = new Float64Array(m);
        for (let j = 0; j < m; j++) out[j] = X.data[m + j] - 0.5 * X.data[j] > 0.1 ? 1 : 0;
        return out;
      },
      view,
      50,
      50,
    );
    // A step function: the interpolated crossing is midway between cell centres.
    const lines = contourLines(g, 0.5);
    expect(lines.length).toBe(1);
    expect(lines[0].closed).toBe(false);
    expect(lines[0].x.length).toBeGreaterThan(50);
    for (let k = 0; k < lines[0].x.length; k++) {
      expect(Math.abs(lines[0].y[k] - 0.5 * lines[0].x[k] - 0.1)).toBeLessThan(0.05);
    }
  });

  it("closes a circle, with vertices on the exact radius for a smooth field", () => {
    const g = sampleGrid(
      (X) => {
        const m = X.cols;
        const out = new Float64Array(m);
        for (let j = 0; j < m; j++) out[j] = X.data[j] ** 2 + X.data[m + j] ** 2;
        return out;
      },
      view,
      80,
      80,
    );
    const lines = contourLines(g, 0.25);
    expect(lines.length).toBe(1);
    expect(lines[0].closed).toBe(true);
    for (let k = 0; k < lines[0].x.length; k++) {
      expect(Math.hypot(lines[0].x[k], lines[0].y[k])).toBeCloseTo(0.5, 2);
    }
  });

  it("separates several islands and resolves saddles without crossing lines", () => {
    const g = sampleGrid(
      (X) => {
        const m = X.cols;
        const out = new Float64Array(m);
        for (let j = 0; j < m; j++) out[j] = Math.sin(6 * X.data[j]) * Math.sin(6 * X.data[m + j]);
        return out;
      },
      view,
      64,
      64,
    );
    const lines = contourLines(g, 0.5);
    // sin·sin > 0.5 on islands around each of the (π/12 + kπ/6)-centred peaks inside the view.
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const l of lines) expect(l.closed).toBe(true);
    // Saddle case: at level 0 the zero lines cross; every vertex still lies on an edge with a sign change.
    for (const l of contourLines(g, 0)) {
      for (let k = 0; k < l.x.length; k++) {
        const v = Math.sin(6 * l.x[k]) * Math.sin(6 * l.y[k]);
        expect(Math.abs(v)).toBeLessThan(0.1);
      }
    }
  });

  it("skips cells with NaN corners", () => {
    const g = { view, nx: 3, ny: 3, values: Float64Array.from([0, 0, 0, 0, Number.NaN, 1, 1, 1, 1]) };
    for (const l of contourLines(g, 0.5)) for (const x of l.x) expect(Number.isFinite(x)).toBe(true);
  });
});
