import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { dejaVuFontFiles, svgToPng } from "../../src/node/png.js";
import { plotCostCurves, plotDecisionBoundary } from "../../src/plot/index.js";
import { linearData, linearPredict } from "../plot/helpers.js";

function decode(bytes: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(bytes));
}

function pixel(png: PNG, x: number, y: number): [number, number, number, number] {
  const k = (Math.round(y) * png.width + Math.round(x)) * 4;
  return [png.data[k], png.data[k + 1], png.data[k + 2], png.data[k + 3]];
}

/** Pixels in the box whose darkest channel is below `level`. */
function darkPixels(png: PNG, x0: number, y0: number, x1: number, y1: number, level = 100): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const [r, g, b] = pixel(png, x, y);
      if (Math.max(r, g, b) < level) n++;
    }
  }
  return n;
}

describe("svgToPng", () => {
  it("finds DejaVu Sans to render text with", () => {
    const files = dejaVuFontFiles();
    expect(files.length).toBeGreaterThan(0);
    expect(files[0]).toMatch(/DejaVuSans\.ttf$/);
  });

  it("renders a decision boundary at the SVG's size, in many colours, blue and orange where expected", () => {
    const svg = plotDecisionBoundary(
      linearPredict,
      { train: linearData(100, 5) },
      {
        view: { xMin: -1, xMax: 1, yMin: -1, yMax: 1 },
        pitch: true,
      },
    );
    const png = decode(svgToPng(svg));
    const w = Number(/width="([\d.]+)"/.exec(svg)?.[1]);
    const h = Number(/height="([\d.]+)"/.exec(svg)?.[1]);
    expect(png.width).toBe(Math.ceil(w));
    expect(png.height).toBe(Math.ceil(h));
    const colours = new Set<number>();
    for (let k = 0; k < png.data.length; k += 4) {
      colours.add((png.data[k] << 16) | (png.data[k + 1] << 8) | png.data[k + 2]);
    }
    expect(colours.size).toBeGreaterThan(200);
    // The plot area is the heat map's box: probe near its top-left and bottom-right corners.
    const t = /translate\(([\d.]+) ([\d.]+)\) scale\(([\d.]+) ([\d.]+)\)/.exec(svg);
    const [x0, y0, sx, sy] = (t ?? []).slice(1).map(Number);
    const [ax, ay, aw, ah] = [x0, y0, sx * 120, sy * 120];
    const [r1, , b1] = pixel(png, ax + aw * 0.06, ay + ah * 0.3); // x1 ≈ -0.88, x2 ≈ 0.4: class 1
    const [r0, , b0] = pixel(png, ax + aw * 0.94, ay + ah * 0.7); // x1 ≈ 0.88, x2 ≈ -0.4: class 0
    expect(b1).toBeGreaterThan(r1 + 40);
    expect(r0).toBeGreaterThan(b0 + 40);
  });

  it("renders text (black on white) inside the text's box", () => {
    const svg = [
      '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60" viewBox="0 0 240 60">',
      '<rect width="100%" height="100%" fill="#ffffff"/>',
      '<text x="10" y="42" font-family="DejaVu Sans, Arial, sans-serif" font-size="32" fill="#000000">Header</text>',
      "</svg>",
    ].join("");
    const png = decode(svgToPng(svg));
    expect([png.width, png.height]).toEqual([240, 60]);
    // "Header" at 32 px in DejaVu Sans spans about 10…130 horizontally and 18…42 vertically.
    expect(darkPixels(png, 10, 10, 140, 46)).toBeGreaterThan(300);
    expect(darkPixels(png, 180, 0, 240, 60)).toBe(0);
    expect(darkPixels(png, 0, 48, 240, 60)).toBe(0);
  });

  it("renders plot labels: the title row has dark pixels", () => {
    const it0 = [0, 1000, 2000];
    const svg = plotCostCurves([{ name: "run", iterations: it0, costs: [0.7, 0.3, 0.2] }], { title: "Cost" });
    const png = decode(svgToPng(svg));
    // The title sits in the top 40 px margin, centred over the plot area.
    expect(darkPixels(png, 0, 0, png.width, 36, 120)).toBeGreaterThan(20);
  });

  it("scales to a requested width", () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><rect width="200" height="100" fill="#123456"/></svg>';
    const png = decode(svgToPng(svg, { width: 400 }));
    expect([png.width, png.height]).toEqual([400, 200]);
    expect(pixel(png, 200, 100).slice(0, 3)).toEqual([0x12, 0x34, 0x56]);
    expect(() => svgToPng(svg, { width: 0 })).toThrow(/positive/);
  });
});
