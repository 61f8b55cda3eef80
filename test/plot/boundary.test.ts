import { describe, expect, it } from "vitest";
import type { Matrix } from "../../src/core/matrix.js";
import { subset } from "../../src/data/dataset.js";
import { FOOTBALL_VIEW, plotDecisionBoundary, probabilityColor, regionColors } from "../../src/plot/index.js";
import { heatmapCells, hexRgb, linearData, linearPredict, pathPoints } from "./helpers.js";
import { count, parseXml } from "./xml.js";

const train = linearData(150, 1);
const test = linearData(60, 2);

describe("plotDecisionBoundary", () => {
  it("is a well-formed standalone SVG document", () => {
    const svg = plotDecisionBoundary(linearPredict, { train, test });
    const doc = parseXml(svg);
    expect(doc.root).toBe("svg");
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="')).toBe(true);
    expect(svg).toMatch(/viewBox="0 0 [\d.]+ [\d.]+"/);
    expect(svg).toContain('font-family="DejaVu Sans, Arial, sans-serif"');
  });

  it("draws one circle per training and test point", () => {
    expect(count(plotDecisionBoundary(linearPredict, { train }), "circle")).toBe(150);
    expect(count(plotDecisionBoundary(linearPredict, { train, test }), "circle")).toBe(210);
    expect(count(plotDecisionBoundary(linearPredict, { train, test }, { showTest: false }), "circle")).toBe(
      150,
    );
    const svg = plotDecisionBoundary(linearPredict, { train, test });
    const testGroup = svg.slice(svg.indexOf('class="test'), svg.indexOf('class="train'));
    expect(testGroup).toContain('fill="none"');
  });

  it("samples the whole grid in one call, examples as columns", () => {
    const calls: Array<[number, number]> = [];
    let first: Matrix | undefined;
    plotDecisionBoundary(
      (X) => {
        calls.push([X.rows, X.cols]);
        first = X;
        return linearPredict(X);
      },
      { train },
      { view: { xMin: 0, xMax: 1, yMin: 10, yMax: 20 }, grid: { x: 4, y: 2 } },
    );
    expect(calls).toEqual([[2, 8]]);
    // Cell centres: x = 0.125, 0.375, …; y = 12.5 (first row) then 17.5.
    expect(Array.from(first?.data ?? [])).toEqual([
      0.125, 0.375, 0.625, 0.875, 0.125, 0.375, 0.625, 0.875, 12.5, 12.5, 12.5, 12.5, 17.5, 17.5, 17.5, 17.5,
    ]);
    const calls120: number[] = [];
    plotDecisionBoundary(
      (X) => {
        calls120.push(X.cols);
        return linearPredict(X);
      },
      { train },
    );
    expect(calls120).toEqual([120 * 120]);
  });

  it("colours the two sides of a linear classifier differently, as its probability says", () => {
    const view = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
    const svg = plotDecisionBoundary(linearPredict, { train }, { view });
    const { nx, ny, colors } = heatmapCells(svg);
    expect([nx, ny]).toEqual([120, 120]);
    // Row r is counted from the top; cell centre x = -1 + (i + 0.5)/60, y = 1 - (r + 0.5)/60.
    const at = (x: number, y: number) => colors[Math.floor((1 - y) * 60) * nx + Math.floor((x + 1) * 60)];
    const upperLeft = at(-0.6, 0.6); // x2 > x1: class 1 (blue side)
    const lowerRight = at(0.6, -0.6); // class 0 (orange side)
    expect(upperLeft).not.toBe(lowerRight);
    const [r1, , b1] = hexRgb(upperLeft);
    const [r0, , b0] = hexRgb(lowerRight);
    expect(b1).toBeGreaterThan(r1);
    expect(r0).toBeGreaterThan(b0);
    // Every cell has the colour of its quantized probability.
    for (let r = 0; r < ny; r += 7) {
      for (let i = 0; i < nx; i += 5) {
        const x = -1 + (i + 0.5) / 60;
        const y = 1 - (r + 0.5) / 60;
        const p = 1 / (1 + Math.exp(-10 * (y - x)));
        // Skip cells on a bin edge, where rounding in x and y may tip either way.
        if (Math.abs(p * 32 - Math.round(p * 32)) < 1e-6) continue;
        expect(colors[r * nx + i]).toBe(probabilityColor(p));
      }
    }
  });

  it("splits into exactly two colours at 0.5 in discrete mode", () => {
    const view = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
    const svg = plotDecisionBoundary(linearPredict, { train }, { view, mode: "discrete" });
    const { nx, colors } = heatmapCells(svg);
    expect(new Set(colors)).toEqual(new Set(regionColors()));
    const [c0, c1] = regionColors();
    expect(colors[10 * nx + 5]).toBe(c1); // top-left
    expect(colors[110 * nx + 115]).toBe(c0); // bottom-right
    // Without a colour bar there are no legend tick labels.
    expect(svg).not.toContain("P(class 1)");
  });

  it("draws the 0.5 level line along x2 = x1", () => {
    const view = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
    for (const mode of ["probability", "discrete"] as const) {
      const svg = plotDecisionBoundary(linearPredict, { train }, { view, mode });
      const d = /<path class="boundary" d="([^"]+)"/.exec(svg)?.[1] ?? "";
      const pts = pathPoints(d);
      expect(pts.length).toBeGreaterThan(100);
      // Pixel → data through the heat map's box (which is the plot area).
      const { box } = heatmapCells(svg);
      for (const [px, py] of pts) {
        const x = -1 + (2 * (px - box[0])) / box[2];
        const y = 1 - (2 * (py - box[1])) / box[3];
        expect(Math.abs(x - y)).toBeLessThan(0.02);
      }
    }
  });

  it("has a legend with the class names, a title and axis labels", () => {
    const svg = plotDecisionBoundary(
      linearPredict,
      { train, test },
      { classNames: ["other team wins", "French player wins"], title: "No <regularization> & co" },
    );
    expect(svg).toContain(">other team wins</text>");
    expect(svg).toContain(">French player wins</text>");
    expect(svg).toContain(">P(French player wins)</text>");
    expect(svg).toContain(">test set</text>");
    expect(svg).toContain(">No &lt;regularization&gt; &amp; co</text>");
    expect(svg).toContain(">x₁</text>");
    const defaults = plotDecisionBoundary(linearPredict, { train });
    expect(defaults).toContain(">class 0</text>");
    expect(defaults).toContain(">class 1</text>");
    expect(defaults).toContain(">Decision boundary</text>");
    expect(defaults).not.toContain(">test set</text>");
  });

  it("stays small: a 120×120 grid is well under 300 KB", () => {
    // A model with a wiggly boundary and smooth gradients everywhere: the worst case for merging.
    const wiggly = (X: Matrix) => {
      const m = X.cols;
      const out = new Float64Array(m);
      for (let j = 0; j < m; j++) {
        const x = X.data[j];
        const y = X.data[m + j];
        out[j] = 1 / (1 + Math.exp(-3 * (y - x + 0.3 * Math.sin(12 * x) * Math.cos(9 * y))));
      }
      return out;
    };
    const svg = plotDecisionBoundary(wiggly, { train, test }, { pitch: true });
    expect(svg.length).toBeLessThan(300_000);
    parseXml(svg);
  });

  it("draws a pitch over the heat map and defaults to the football box", () => {
    const football = subset(
      train,
      [...Array(150).keys()].filter((j) => train.X.data[150 + j] > -0.74),
    );
    const svg = plotDecisionBoundary(linearPredict, { train: football }, { pitch: true });
    expect(svg).toContain('class="pitch"');
    expect(svg.indexOf('class="pitch"')).toBeGreaterThan(svg.indexOf('class="heatmap"'));
    // The heat map covers exactly FOOTBALL_VIEW: its first grid column is centred at xMin + half a cell.
    const calls: number[] = [];
    plotDecisionBoundary(
      (X) => {
        calls.push(X.data[0], X.data[X.cols]);
        return linearPredict(X);
      },
      { train: football },
      { pitch: true, grid: 10 },
    );
    const dx = (FOOTBALL_VIEW.xMax - FOOTBALL_VIEW.xMin) / 10;
    const dy = (FOOTBALL_VIEW.yMax - FOOTBALL_VIEW.yMin) / 10;
    expect(calls[0]).toBeCloseTo(FOOTBALL_VIEW.xMin + dx / 2, 12);
    expect(calls[1]).toBeCloseTo(FOOTBALL_VIEW.yMin + dy / 2, 12);
    // Pitch lines and markers are paths, so circles are still only data points.
    expect(count(svg, "circle")).toBe(football.X.cols);
  });

  it("rejects data that is not 2-D and predictions of the wrong length", () => {
    const three = { X: { rows: 3, cols: 1, data: new Float64Array(3) }, y: new Uint8Array(1) };
    expect(() => plotDecisionBoundary(linearPredict, { train: three })).toThrow(/exactly 2/);
    expect(() => plotDecisionBoundary(() => new Float64Array(5), { train })).toThrow(/5 values for 14400/);
    expect(() =>
      plotDecisionBoundary(linearPredict, { train }, { view: { xMin: 1, xMax: 0, yMin: 0, yMax: 1 } }),
    ).toThrow(/xMin < xMax/);
  });

  it("survives NaN probabilities (drawn grey, no line through them)", () => {
    const svg = plotDecisionBoundary(
      (X) => {
        const p = linearPredict(X);
        for (let j = 0; j < p.length; j += 3) p[j] = Number.NaN;
        return p;
      },
      { train },
    );
    parseXml(svg);
    expect(svg).toContain("#bdbdbd");
    expect(svg).not.toContain("NaN");
  });
});
