import { describe, expect, it } from "vitest";
import { cli } from "../support/io.js";

// Extra seeds run on worker threads from dist/: `npm test` builds first.
describe("reglab compare --seeds", () => {
  it("adds the early-stopping row, the spread over seeds and one McNemar line", async () => {
    const r = await cli("compare", "--iterations", "1000", "--seeds", "3", "--workers", "2", "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("test over 3 seeds: mean ± sd (min–max)");
    const rows = r.out.split("\n").filter((l) => /^(no regularization|L2|dropout|early stopping)/.test(l));
    // The table is split in two parts to fit 100 columns: accuracies, then the spread over seeds.
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(100);
    for (const row of rows.slice(0, 6)) {
      // train and test accuracy with intervals
      expect(row).toMatch(/\d+\.\d% \[\d+\.\d, \d+\.\d\]\s+\d+\.\d% \[\d+\.\d, \d+\.\d\]/);
    }
    // then mean ± sd (min–max) over seeds.
    for (const row of rows.slice(6)) expect(row).toMatch(/\d+\.\d% ± \d+\.\d \(\d+\.\d–\d+\.\d\)/);
    expect(rows[4]).toMatch(/^early stopping, 20% dev/);
    expect(rows[5]).toMatch(/^L2, trained to the end/);
    expect(r.out).toMatch(
      /- early stopping, 20% dev: No penalty, but it trains on \d+ examples and watches the other \d+/,
    );
    const mc = r.out.split("\n").filter((l) => l.startsWith("McNemar"));
    expect(mc).toHaveLength(1);
    expect(mc[0]).toMatch(
      /McNemar on the \d+ test examples, seed-3 runs, Holm-corrected over 15 pairs at α = 0\.05: /,
    );
    expect(mc[0]).toMatch(/(in most of the 3 seeds|in any of the 3 seeds|most of the 3 seeds \(at most)/);
  });

  it("--json lists every seed's scores, the spread and the pairwise tests", async () => {
    const r = await cli("compare", "--iterations", "500", "--seeds", "2", "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.models.map((m: { key: string }) => m.key)).toEqual([
      "none",
      "l2",
      "dropout-fixed",
      "dropout-fresh",
      "early-stopping",
      "l2-to-end",
    ]);
    for (const m of j.models) {
      expect(m.seeds.map((s: { seed: number }) => s.seed)).toEqual([3, 4]);
      expect(m.testSpread.min).toBeLessThanOrEqual(m.testSpread.max);
    }
    expect(j.models[4].earlyStopping.devExamples).toBeGreaterThan(0);
    expect(j.mcnemar).toHaveLength(15);
    expect(j.mcnemar[0]).toMatchObject({ a: "no regularization", b: "L2, λ = 0.7", seeds: 2 });
  });

  it("rejects --seeds 0 with one line and exit 2", async () => {
    const r = await cli("compare", "--seeds", "0");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/--seeds/);
  });
});
