import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/io.js";

// The learning-rate sweep runs on worker threads from dist/: `npm test` builds first.
describe("reglab compare: the regularizers' claims", () => {
  it("--json reads L1's zeros, max-norm's learning-rate sweep and label smoothing's ECE off the rows", async () => {
    const r = await cli(
      "compare",
      "--iterations",
      "300",
      "--models",
      "none,l1,max-norm-dropout,label-smoothing",
      "--workers",
      "1",
      "--json",
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const claims = j.regularizerClaims.claims as {
      id: string;
      held: boolean | undefined;
      sentence: string;
    }[];
    expect(claims.map((c) => c.id)).toEqual([
      "l1-sparse",
      "max-norm-learning-rate",
      "label-smoothing-calibration",
    ]);
    // α × 1, 3, 10, 30, with and without max-norm.
    expect(j.regularizerClaims.learningRates).toHaveLength(8);
    expect(j.regularizerClaims.calibration[0].bins).toHaveLength(15);
    expect(j.regularizerClaims.thresholds).toContain("exactly 0");
    expect(j.regularizerClaims.sparsity[1].zeros.length).toBe(3);
  });

  it("plain text prints each claim with its verdict and its numbers, as the report does", async () => {
    const r = await cli(
      "compare",
      "--iterations",
      "300",
      "--models",
      "none,l1,max-norm-dropout",
      "--workers",
      "1",
    );
    expect(r.code, r.err).toBe(0);
    const text = r.out.slice(r.out.indexOf("The regularizers' claims, measured:"));
    expect(text).not.toBe(r.out);
    const claims = text.split("\n- ").slice(1);
    expect(claims).toHaveLength(2);
    const verdict = /\n {2}(Held here\.|Did not hold here\.) /;
    // L1: the count of zeros out of the weights, per layer, against the unregularized row's.
    expect(claims[0]).toMatch(/^“L1 drives weights to exactly zero/);
    expect(claims[0]).toMatch(verdict);
    expect(claims[0]).toMatch(/ends with \d+ of its \d+ weights exactly 0 \(\d+\.\d%: layer 1 \d+ of \d+, /);
    expect(claims[0]).toMatch(/“no regularization” has \d+ of \d+/);
    // Max-norm: every α of the sweep with its accuracy (or "diverged"), both arms.
    expect(claims[1]).toMatch(/^“Max-norm with dropout/);
    expect(claims[1]).toMatch(verdict);
    for (const alpha of ["0.3", "0.9", "3", "9"])
      expect(claims[1].match(new RegExp(`α = ${alpha}: (\\d+\\.\\d%|diverged)`, "g"))).toHaveLength(2);
    expect(text).toContain("How the verdicts are read: L1 is sparse when at least 10%");
    expect(r.err).toContain("Learning-rate sweep of");
  });

  it("--report adds the section and its two charts; the article's rows alone leave them out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reglab-regclaims-"));
    try {
      const r = await cli(
        "compare",
        "--iterations",
        "200",
        "--models",
        "none,l1",
        "--quiet",
        "--report",
        dir,
      );
      expect(r.code, r.err).toBe(0);
      const html = readFileSync(join(dir, "index.html"), "utf8");
      expect(html).toContain('id="regularizer-claims"');
      expect(readFileSync(join(dir, "zero-weights.png")).length).toBeGreaterThan(0);
      const plain = await cli("compare", "--iterations", "200", "--models", "none,l2", "--json");
      expect(JSON.parse(plain.out).regularizerClaims.claims).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
