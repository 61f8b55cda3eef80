import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mcnemarPower, minimumDetectableGain, powerStatement } from "../../src/experiments/power.js";
import { regularizedBeta, studentTQuantile, studentTSurvival } from "../../src/experiments/student-t.js";

interface Reference {
  mcnemarGain: Array<{ n: number; discordance: number; alpha: number; power: number; gain: number | null }>;
  mcnemarPower: Array<{ n: number; discordance: number; gain: number; alpha: number; power: number }>;
  tSurvival: Array<{ t: number; df: number; sf: number }>;
  tQuantile: Array<{ p: number; df: number; quantile: number }>;
  correctedT: {
    differences: number[];
    folds: number;
    t: number;
    df: number;
    pValue: number;
    halfWidth95: number;
  };
}
const ref: Reference = JSON.parse(
  readFileSync(new URL("../fixtures/power-reference.json", import.meta.url), "utf8"),
);

// The fixture is written by scripts/reference/power_reference.py (scipy; brentq on Connor's power).
describe("McNemar power (Connor 1987) against scipy", () => {
  it.each(ref.mcnemarGain)(
    "smallest detectable gain, n = $n, ψ = $discordance, α = $alpha, power $power",
    (c) => {
      const got = minimumDetectableGain(c.n, c.discordance, { alpha: c.alpha, power: c.power });
      if (c.gain === null) expect(got).toBeNull();
      else expect(Math.abs(got! / c.gain - 1)).toBeLessThan(1e-9);
    },
  );

  it.each(ref.mcnemarPower)("power, n = $n, ψ = $discordance, δ = $gain", (c) => {
    expect(mcnemarPower(c.n, c.discordance, c.gain, c.alpha)).toBeCloseTo(c.power, 12);
  });

  it("at the smallest detectable gain the power is the one asked for", () => {
    const g = minimumDetectableGain(259, 0.2, { power: 0.9 })!;
    expect(mcnemarPower(259, 0.2, g)).toBeCloseTo(0.9, 12);
  });

  it("more examples detect smaller gains", () => {
    const gains = [50, 200, 1000, 10000].map((n) => minimumDetectableGain(n, 0.2)!);
    for (let i = 1; i < gains.length; i++) expect(gains[i]).toBeLessThan(gains[i - 1]);
  });

  it("says the sentence, and says when nothing is detectable", () => {
    const s = powerStatement(50, 10);
    expect(s.minimumGainPoints).toBeCloseTo(100 * ref.mcnemarGain[0].gain!, 8);
    expect(s.sentence).toBe(
      "with 50 test examples and the two models disagreeing on 10, a gain below 17.3 points cannot be told from chance at 80 % power and α = 0.05.",
    );
    expect(powerStatement(50, 3).minimumGainPoints).toBeNull();
    expect(powerStatement(50, 3).sentence).toMatch(/no gain can be told from chance/);
    expect(powerStatement(50, 0).minimumGainPoints).toBeNull();
  });

  it("refuses impossible arguments", () => {
    expect(() => powerStatement(50, 51)).toThrow(RangeError);
    expect(() => minimumDetectableGain(0, 0.2)).toThrow(RangeError);
    expect(() => mcnemarPower(50, 0.1, 0.2)).toThrow(RangeError);
  });
});

describe("Student's t against scipy", () => {
  it.each(ref.tSurvival)("sf($t, df $df)", (c) => {
    expect(Math.abs(studentTSurvival(c.t, c.df) / c.sf - 1)).toBeLessThan(1e-11);
  });
  it.each(ref.tQuantile)("ppf($p, df $df)", (c) => {
    expect(Math.abs(studentTQuantile(c.p, c.df) / c.quantile - 1)).toBeLessThan(1e-11);
  });
  it("the incomplete beta's edges and symmetry", () => {
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
    expect(regularizedBeta(0.3, 2, 5) + regularizedBeta(0.7, 5, 2)).toBeCloseTo(1, 14);
  });
});
