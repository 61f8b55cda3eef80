import { describe, expect, it } from "vitest";
import { plotBands, plotCostCurves, plotScatter } from "../../src/plot/index.js";
import { linearData } from "./helpers.js";
import { count, parseXml } from "./xml.js";

const iterations = Array.from({ length: 31 }, (_, i) => i * 1000);
const decay = (c0: number, floor: number, tau: number) =>
  iterations.map((i) => floor + c0 * Math.exp(-i / tau));

/** Tick label texts of one axis (x labels are centred under ticks, y labels end at them). */
function tickLabels(svg: string, axis: "x" | "y"): string[] {
  const start = svg.indexOf('<g class="tick-labels"');
  const g = svg.slice(start, svg.indexOf("</g>", start));
  const anchor = axis === "x" ? "middle" : "end";
  return [...g.matchAll(/<text [^>]*text-anchor="(\w+)"[^>]*>([^<]*)<\/text>/g)]
    .filter((m) => m[1] === anchor)
    .map((m) => m[2]);
}

describe("plotScatter", () => {
  const train = linearData(120, 3);
  const test = linearData(40, 4);

  it("draws one filled circle per example, class-coloured, in a well-formed document", () => {
    const svg = plotScatter(train);
    expect(parseXml(svg).root).toBe("svg");
    expect(count(svg, "circle")).toBe(120);
    const ones = train.y.reduce((a, v) => a + v, 0);
    const group1 = svg.slice(svg.lastIndexOf("<g", svg.indexOf('class="train class-1"')));
    expect(count(group1.slice(0, group1.indexOf("</g>") + 4), "circle")).toBe(ones);
    expect(svg).toContain('font-family="DejaVu Sans, Arial, sans-serif"');
  });

  it("adds hollow test rings and names classes in the legend", () => {
    const svg = plotScatter(train, { test, classNames: ["other team wins", "French player wins"] });
    expect(count(svg, "circle")).toBe(160);
    expect(svg).toContain(">other team wins</text>");
    expect(svg).toContain(">French player wins</text>");
    expect(svg).toContain(">test set</text>");
  });

  it("draws a pitch on grass when asked, and stays small", () => {
    const svg = plotScatter(train, { pitch: true });
    parseXml(svg);
    expect(svg).toContain('class="grass"');
    expect(svg).toContain('class="pitch"');
    expect(count(svg, "circle")).toBe(120);
    expect(svg.length).toBeLessThan(40_000);
  });
});

describe("plotCostCurves", () => {
  const series = [
    { name: "no regularization", iterations, costs: decay(0.52, 0.13, 2500) },
    { name: "L2, λ = 0.7", iterations, costs: decay(0.43, 0.268, 2000) },
    { name: "validation", iterations, costs: decay(0.4, 0.25, 2500), dashed: true },
  ];

  it("draws every run with a legend entry, dashed where asked", () => {
    const svg = plotCostCurves(series, { title: "Cost" });
    parseXml(svg);
    for (const s of series) expect(svg).toContain(`>${s.name}</text>`);
    expect(svg.split('class="series"').length - 1).toBe(3);
    expect(svg).toContain('stroke-dasharray="7 4"');
    expect(svg).toContain(">iteration</text>");
    expect(svg).toContain(">Cost</text>");
    expect(svg.length).toBeLessThan(20_000);
  });

  it("puts log-scale ticks at powers of ten", () => {
    const wide = [{ name: "run", iterations, costs: iterations.map((i) => 0.7 * 10 ** (-i / 8000)) }];
    const svg = plotCostCurves(wide, { logScale: true });
    const yLabels = tickLabels(svg, "y");
    expect(yLabels).toEqual(["0.0001", "0.001", "0.01", "0.1", "1"]);
    for (const t of yLabels) {
      const e = Math.log10(Number(t));
      expect(Math.abs(e - Math.round(e))).toBeLessThan(1e-9);
    }
    expect(svg).toContain(">cost (log scale)</text>");
  });

  it("marks an iteration with a labelled vertical line", () => {
    const svg = plotCostCurves(series, { markers: [{ iteration: 7000, label: "early stop" }] });
    expect(svg).toContain('class="markers"');
    expect(svg).toContain(">early stop</text>");
  });

  it("breaks lines at values it cannot draw instead of writing NaN", () => {
    const costs = decay(0.5, 0.1, 3000);
    costs[5] = Number.NaN;
    costs[6] = Number.POSITIVE_INFINITY;
    costs[7] = 0;
    const svg = plotCostCurves([{ name: "run", iterations, costs }], { logScale: true });
    parseXml(svg);
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(() => plotCostCurves([{ name: "bad", iterations: [0, 1], costs: [1] }])).toThrow(/"bad"/);
  });
});

describe("plotBands", () => {
  const lambdas = [0, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
  const mean = lambdas.map((l) => 0.9 + 0.03 * Math.exp(-((Math.log10(l + 1e-9) + 0.3) ** 2)));
  const series = [
    {
      name: "validation accuracy",
      x: lambdas,
      mean,
      low: mean.map((v) => v - 0.02),
      high: mean.map((v) => v + 0.02),
    },
    { name: "train accuracy", x: lambdas, mean: lambdas.map(() => 0.95) },
  ];

  it("draws bands, lines and points, skipping non-positive x on a log axis", () => {
    const svg = plotBands(series, { logX: true, title: "Validation curve", xLabel: "λ", yLabel: "accuracy" });
    parseXml(svg);
    expect(svg).toContain('class="band"');
    expect(svg).toContain(">validation accuracy</text>");
    expect(svg).toContain(">Validation curve</text>");
    // λ = 0 cannot sit on a log axis: 7 of the 8 points per series are drawn.
    expect(count(svg, "circle")).toBe(14);
    expect(tickLabels(svg, "x")).toEqual(["0.01", "0.1", "1", "10"]);
  });

  it("works on linear axes with markers", () => {
    const svg = plotBands(series, { markers: [{ x: 0.7, label: "chosen λ" }] });
    parseXml(svg);
    expect(count(svg, "circle")).toBe(16);
    expect(svg).toContain(">chosen λ</text>");
  });
});
