import { describe, expect, it } from "vitest";
import { plotLearningRates } from "../../src/plot/index.js";
import { auditChart, chartProblems } from "./chart-audit.js";
import { parseXml } from "./xml.js";

const withMaxNorm = {
  name: "max-norm + dropout",
  points: [
    { learningRate: 0.1, value: 90, diverged: false },
    { learningRate: 1, value: 93, diverged: false },
    { learningRate: 10, value: 92, diverged: false },
  ],
};
const without = {
  name: "dropout alone",
  points: [
    { learningRate: 10, diverged: true },
    { learningRate: 0.1, value: 91, diverged: false },
    { learningRate: 1, value: 88, diverged: false },
  ],
};

/** Centres of the scored dots of each series, in pixels. */
function dots(svg: string): Array<Array<{ x: number; y: number }>> {
  return [...svg.matchAll(/<g class="series"[^>]*>([\s\S]*?)<\/g>/g)].map((m) =>
    [...m[1].matchAll(/<circle class="point" cx="([\d.]+)" cy="([\d.]+)"/g)].map((c) => ({
      x: Number(c[1]),
      y: Number(c[2]),
    })),
  );
}

/** Centre of each diverged cross: its path starts at (x − 5, y − 5). */
function crosses(svg: string): Array<{ x: number; y: number }> {
  return [...svg.matchAll(/<path class="diverged" d="M([\d.]+) ([\d.]+)/g)].map((m) => ({
    x: Number(m[1]) + 5,
    y: Number(m[2]) + 5,
  }));
}

describe("plotLearningRates", () => {
  const title = "Accuracy against the learning rate α — with and without max-norm";
  const svg = plotLearningRates([withMaxNorm, without], { title, bounds: [0, 100] });

  it("puts α on a log axis and the scores on a linear one, both arms on the same scales", () => {
    expect(parseXml(svg).root).toBe("svg");
    const [a, b] = dots(svg);
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(2);
    // 0.1, 1, 10: a decade each, equal steps in pixels.
    expect(a[1].x - a[0].x).toBeCloseTo(a[2].x - a[1].x, 1);
    // Sorted by α whatever order the points came in; same α, same x in both arms.
    expect(b[0].x).toBeCloseTo(a[0].x, 6);
    expect(b[1].x).toBeCloseTo(a[1].x, 6);
    // Linear in the score: 93 − 90 is three times 91 − 90 (y grows downwards; pixels to 0.01).
    expect((a[0].y - a[1].y) / (a[0].y - b[0].y)).toBeCloseTo(3, 2);
  });

  it("draws a diverged run as a cross below every score, not as a score of 0, and breaks no line for it", () => {
    const x = crosses(svg);
    expect(x).toHaveLength(1);
    const [a, b] = dots(svg);
    expect(x[0].x).toBeCloseTo(a[2].x, 1);
    for (const d of [...a, ...b]) expect(x[0].y).toBeGreaterThan(d.y);
    // Inside the shaded strip labelled "diverged".
    const strip =
      /<rect class="diverged-strip" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/.exec(svg)!;
    expect(x[0].y).toBeGreaterThan(Number(strip[1]));
    expect(x[0].y).toBeLessThan(Number(strip[1]) + Number(strip[2]));
    expect(svg).toContain(">diverged</text>");
    // The score axis never reaches 0: 0 % would read as a run that trained and scored nothing.
    expect(svg).not.toMatch(/text-anchor="end"[^>]*>0<\/text>/);
  });

  it("passes the chart audit when its caption counts what it draws, and fails it otherwise", () => {
    const a = auditChart(svg);
    expect([a.series, a.points, a.diverged]).toEqual([2, 5, 1]);
    expect(a.legend).toEqual(["max-norm + dropout", "dropout alone", "diverged"]);
    expect(chartProblems(svg, "a cross marks a run that diverged; 1 of the 6 runs diverged")).toEqual([]);
    expect(chartProblems(svg, "0 of the 6 runs diverged")).toEqual([
      `“${title}”: the caption says 0 of 6 runs diverged, the chart crosses 1 of 6`,
    ]);
    expect(chartProblems(svg, "accuracy at each α")).toEqual([
      `“${title}”: draws 1 diverged runs the caption does not mention`,
    ]);
  });

  it("draws the diverged strip only when a run diverged, and the audit holds the caption to it", () => {
    const strip = /<rect class="diverged-strip" x="[\d.]+" y="([\d.]+)"/;
    const none = plotLearningRates([withMaxNorm, { ...without, points: without.points.slice(1) }], {
      title,
      bounds: [0, 100],
    });
    const a = auditChart(none);
    expect([a.strips, a.diverged]).toEqual([0, 0]);
    expect(none).not.toContain(">diverged</text>");
    expect(a.legend).toEqual(["max-norm + dropout", "dropout alone"]);
    expect(chartProblems(none, "0 of the 5 runs diverged")).toEqual([]);
    expect(
      chartProblems(none, "a cross in the shaded strip at the bottom; 0 of the 5 runs diverged"),
    ).toEqual([`“${title}”: the caption speaks of a shaded strip, the chart has none`]);
    // Without the strip the scores take the room it held: the lowest dot sits lower.
    const lowest = (s: string) =>
      Math.max(
        ...dots(s)
          .flat()
          .map((d) => d.y),
      );
    expect(lowest(none)).toBeGreaterThan(lowest(svg));
    // With a diverged run: one strip, under every score.
    const b = auditChart(svg);
    expect([b.strips, b.diverged]).toEqual([1, 1]);
    expect(Number(strip.exec(svg)![1])).toBeGreaterThan(lowest(svg));
    expect(chartProblems(svg.replace(/<path class="diverged"[^>]*\/>/, ""), "")).toContain(
      `“${title}”: draws a diverged strip with no diverged run`,
    );
  });

  it("breaks a line at a diverged α and keeps an arm that diverged everywhere in the legend", () => {
    const gap = plotLearningRates(
      [
        {
          name: "gap",
          points: [
            { learningRate: 1, value: 80, diverged: false },
            { learningRate: 3, diverged: true },
            { learningRate: 10, value: 70, diverged: false },
          ],
        },
        { name: "lost", points: [{ learningRate: 3, diverged: true }] },
      ],
      { title: "Accuracy against the learning rate α — with and without max-norm" },
    );
    const line = /<g class="series" data-name="gap"><path d="([^"]+)"/.exec(gap)![1];
    expect(line.match(/M/g)).toHaveLength(2);
    expect(line).not.toContain("L");
    const a = auditChart(gap);
    expect([a.series, a.diverged, a.legend.length]).toEqual([2, 2, 3]);
    expect(chartProblems(gap, "2 of the 4 runs diverged")).toEqual([]);
  });

  it("refuses α ≤ 0 and scores that are not finite", () => {
    expect(() =>
      plotLearningRates([{ name: "a", points: [{ learningRate: 0, value: 1, diverged: false }] }]),
    ).toThrow('arm "a": needs α > 0 and finite scores');
    expect(() =>
      plotLearningRates([{ name: "b", points: [{ learningRate: 1, value: Number.NaN, diverged: false }] }]),
    ).toThrow("finite");
  });
});
