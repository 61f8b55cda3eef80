import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../src/experiments/stats.js";
import { AccuracyTable, accuracyHtml } from "../../web/accuracy-table.js";
import type { ModelSnapshot, Score } from "../../web/protocol.js";

/** Just the fields the table reads. */
function snap(key: string, train: Score, test?: Score): ModelSnapshot {
  return { key, name: `model ${key}`, train, ...(test && { test }) } as unknown as ModelSnapshot;
}

const wilson = (correct: number, n: number) => {
  const w = wilsonInterval(correct, n);
  return `[${(100 * w.low).toFixed(1)}, ${(100 * w.high).toFixed(1)}]`;
};

describe("the playground's accuracy table", () => {
  it("gives one model a row per set: n, accuracy and its Wilson interval", () => {
    const html = accuracyHtml([snap("model", { correct: 187, n: 211 }, { correct: 0, n: 0 })]);
    expect(html).toContain(
      `<tr><th scope="row">Train</th><td>211</td><td><strong>88.6 %</strong></td><td><small>${wilson(187, 211)}</small></td></tr>`,
    );
    // An empty test set shows a dash, not 0/0.
    expect(html).toContain('<tr><th scope="row">Test</th><td>0</td><td>—</td><td></td></tr>');
    expect(html.match(/<tr>/g)).toHaveLength(3);
  });

  it("compares models in rows, sets in columns, named by their compare titles", () => {
    const html = accuracyHtml([
      snap("none", { correct: 200, n: 211 }, { correct: 180, n: 200 }),
      snap("l2", { correct: 198, n: 211 }, { correct: 186, n: 200 }),
    ]);
    expect(html).toContain('<th scope="col">Test <small>n = 200</small></th>');
    expect(html).toContain(
      `<tr><th scope="row">L2</th><td><strong>93.8 %</strong><br /><small>${wilson(198, 211)}</small></td>`,
    );
    expect(html).toContain('<th scope="row">No regularization</th>');
  });

  it("rewrites the table only when its text changes", () => {
    const writes: string[] = [];
    const table = new AccuracyTable({
      set innerHTML(html: string) {
        writes.push(html);
      },
    } as { innerHTML: string });
    const snaps = [snap("model", { correct: 1, n: 2 })];
    table.render(snaps);
    table.render([snap("model", { correct: 1, n: 2 })]);
    table.render([]);
    table.render([snap("model", { correct: 2, n: 2 })]);
    expect(writes).toHaveLength(2);
  });
});
