import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import { baselineSummary, majorityBaseline } from "../../src/experiments/baseline.js";
import { confusionJson, confusionMatrix } from "../../src/experiments/confusion.js";
import { wilsonInterval } from "../../src/experiments/stats.js";
import { plotConfusionMatrix } from "../../src/plot/index.js";
import { count, parseXml } from "../plot/xml.js";

// Twelve examples of three classes, counted by hand:
//   true 0: predicted 0, 0, 1, 0        → row [3, 1, 0]
//   true 1: predicted 1, 2, 1           → row [0, 2, 1]
//   true 2: predicted 2, 0, 2, 2, 1     → row [1, 1, 3]
const actual = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2];
const predicted = [0, 0, 1, 0, 1, 2, 1, 2, 0, 2, 2, 1];

describe("confusionMatrix", () => {
  it("counts true class by row and predicted class by column, as counted by hand", () => {
    const c = confusionMatrix(actual, predicted, ["cat", "dog", "bird"]);
    expect(c.counts).toEqual([
      [3, 1, 0],
      [0, 2, 1],
      [1, 1, 3],
    ]);
    expect(c.correct).toBe(8);
    expect(c.examples).toBe(12);
    expect(c.classes).toEqual(["cat", "dog", "bird"]);
    expect(c.perClass.map((p) => [p.name, p.examples, p.correct])).toEqual([
      ["cat", 4, 3],
      ["dog", 3, 2],
      ["bird", 5, 3],
    ]);
    expect(c.perClass[2].accuracy).toBe(3 / 5);
    expect(c.perClass[2].interval).toEqual(wilsonInterval(3, 5));
  });

  it("keeps a class the set lacks as an empty row (NaN accuracy, null in JSON)", () => {
    const c = confusionMatrix([0, 0, 2], [0, 1, 2]);
    expect(c.classes).toEqual(["0", "1", "2"]);
    expect(c.perClass[1].examples).toBe(0);
    expect(c.perClass[1].accuracy).toBeNaN();
    const json = JSON.parse(JSON.stringify(confusionJson(c)));
    expect(json.perClass[1].accuracy).toBeNull();
    expect(json.counts[0]).toEqual([1, 1, 0]);
    // Names make K even when the labels do not reach the last class.
    expect(confusionMatrix([0, 1], [1, 1], ["a", "b", "c", "d"]).counts.length).toBe(4);
  });

  it("refuses labels and predictions of different lengths", () => {
    expect(() => confusionMatrix([0, 1], [0])).toThrow(/2 labels but 1 predictions/);
  });
});

describe("plotConfusionMatrix", () => {
  it("draws K × K cells with their counts, row accuracies and the total in a well-formed document", () => {
    const c = confusionMatrix(actual, predicted, ["cat", "dog", "bird"]);
    const svg = plotConfusionMatrix(c, { title: "Test set" });
    expect(parseXml(svg).root).toBe("svg");
    // One background rect plus one per cell.
    expect(count(svg, "rect")).toBe(1 + 9);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    for (const n of ["3", "1", "0", "2"]) expect(texts).toContain(n);
    expect(texts).toContain("75.0%"); // cat: 3 of 4
    expect(texts).toContain("66.7%"); // dog: 2 of 3
    expect(texts).toContain("60.0%"); // bird: 3 of 5
    expect(texts.some((t) => t.startsWith("8 of 12 right (66.7%)"))).toBe(true);
  });

  it("shades a full row's cell darkest and an empty cell white", () => {
    const svg = plotConfusionMatrix({
      classes: ["a", "b"],
      counts: [
        [5, 0],
        [0, 5],
      ],
    });
    const fills = [...svg.matchAll(/<rect x[^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(fills).toEqual(["#053061", "#ffffff", "#ffffff", "#053061"]);
  });
});

describe("majority baseline with K classes", () => {
  const set = (labels: number[]) => ({ X: matrix(1, labels.length), y: Uint8Array.from(labels) });

  it("answers the most common class and judges imbalance against an even share (1.2/K)", () => {
    // Ten classes, class 7 holds 3 of 20 = 15 % > 12 %: imbalanced.
    const y = [7, 7, 7, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 8, 8, 9, 9];
    const b = majorityBaseline(set(y));
    expect(b.label).toBe(7);
    expect(b.share).toBe(0.15);
    expect(b.imbalanced).toBe(true);
    // Three classes at 4/4/3 of 11: 36 % < 40 %, balanced; the tie goes to the lower label.
    expect(majorityBaseline(set([2, 2, 2, 2, 0, 0, 0, 1, 1, 1, 1])).imbalanced).toBe(false);
    expect(majorityBaseline(set([2, 2, 2, 2, 0, 0, 0, 1, 1, 1, 1])).label).toBe(1);
    expect(majorityBaseline(set([2, 2, 2, 2, 2, 0, 0, 0, 1, 1, 1])).imbalanced).toBe(true);
    // Two classes keep the 60/40 rule.
    expect(majorityBaseline(set([1, 1, 1, 1, 1, 1, 1, 0, 0, 0])).imbalanced).toBe(true);
    expect(majorityBaseline(set([1, 1, 1, 1, 1, 1, 0, 0, 0, 0])).imbalanced).toBe(false);
  });

  it("scores always answering that class on the test set", () => {
    const train = set([7, 7, 7, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 8, 8, 9, 9]);
    const test = set([7, 7, 1, 2, 3, 4, 5, 6, 8, 9]);
    const s = baselineSummary({ train, test }, [
      { name: "m", trainAccuracy: 1, trainExamples: 20, testAccuracy: 0.9 },
    ]);
    expect(s.testAccuracy).toBe(0.2);
    expect(s.models[0].beats).toBe(true);
  });
});
