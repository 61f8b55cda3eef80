import { describe, expect, it } from "vitest";
import { plotReliability } from "../../src/plot/reliability.js";
import { plotSparsity } from "../../src/plot/sparsity.js";
import { count, parseXml } from "./xml.js";

describe("plotReliability", () => {
  const bins = (acc: number[]) =>
    acc.map((accuracy, b) => ({ confidence: (b + 0.5) / acc.length, accuracy, count: b === 1 ? 0 : 10 }));

  it("draws one dot per non-empty bin per model, the diagonal and a legend, in a well-formed document", () => {
    const svg = plotReliability(
      [
        { name: "none (ECE 0.12)", bins: bins([0.1, 0.2, 0.4, 0.6]) },
        { name: "label smoothing (ECE 0.03)", bins: bins([0.1, 0.3, 0.6, 0.9]) },
      ],
      { title: "Reliability — digits" },
    );
    expect(parseXml(svg).root).toBe("svg");
    expect(count(svg, "circle")).toBe(6);
    expect(svg).toContain(">perfect calibration</text>");
    expect(svg).toContain(">none (ECE 0.12)</text>");
    expect(svg).toContain('stroke-dasharray="5 4"');
  });

  it("puts a bin's dot at its confidence and accuracy (y grows upward)", () => {
    const svg = plotReliability([
      {
        name: "m",
        bins: [
          { confidence: 0.9, accuracy: 0.5, count: 3 },
          { confidence: 0.3, accuracy: 0.2, count: 1 },
        ],
      },
    ]);
    const dots = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"/g)].map((m) =>
      m.slice(1).map(Number),
    );
    expect(dots).toHaveLength(2);
    expect(dots[0][0]).toBeGreaterThan(dots[1][0]);
    expect(dots[0][1]).toBeLessThan(dots[1][1]);
    // The busier bin's dot is the larger.
    expect(dots[0][2]).toBeGreaterThan(dots[1][2]);
  });
});

describe("plotSparsity", () => {
  it("draws one bar per layer per model, labelled with its count, heights by share", () => {
    const svg = plotSparsity([
      { name: "none", zeros: [0, 0], sizes: [40, 3] },
      { name: "L1, λ = 0.01", zeros: [30, 1], sizes: [40, 3] },
    ]);
    expect(parseXml(svg).root).toBe("svg");
    const bars = [
      ...svg.matchAll(
        /<rect class="bar series-(\d)" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g,
      ),
    ];
    expect(bars).toHaveLength(4);
    const h = bars.map((m) => Number(m[3]));
    expect(h[0]).toBe(0);
    expect(h[1] / h[3]).toBeCloseTo(0.75 / (1 / 3), 1);
    expect(svg).toContain(">30</text>");
    expect(svg).toContain(">W1 (40)</text>");
    expect(svg).toContain(">L1, λ = 0.01</text>");
  });
});
