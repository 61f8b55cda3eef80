/**
 * The power to tell two models apart on the same test examples: the smallest accuracy gain
 * McNemar's test detects at a given power, by Connor's (1987) normal approximation at the observed
 * rate of disagreement. Said beside every comparison, so "not significant" is read as "too few
 * examples to tell", not "no difference".
 */
import { normalCdf, normalQuantile } from "./stats.js";

export interface PowerSettings {
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Wanted chance of detecting the gain (default 0.8). */
  power?: number;
}

/**
 * Connor's approximate power of McNemar's two-sided test on `n` pairs when the models disagree on
 * a fraction `discordance` (ψ = p₁₀ + p₀₁) and the second model's accuracy is higher by `gain`
 * (δ = p₀₁ − p₁₀): Φ((δ√n − z₁₋α/₂ √ψ) / √(ψ − δ²)).
 */
export function mcnemarPower(n: number, discordance: number, gain: number, alpha = 0.05): number {
  checkArgs(n, discordance, alpha);
  const d = Math.abs(gain);
  if (d > discordance) throw new RangeError(`a gain of ${gain} needs a discordance of at least ${d}`);
  if (d === 0) return alpha / 2; // the one tail that points the gain's way
  const za = normalQuantile(1 - alpha / 2);
  const spread = Math.sqrt(discordance - d * d);
  if (spread === 0) return 1; // every disagreement one way: only the test's cut-off is left, and it is passed
  return normalCdf((d * Math.sqrt(n) - za * Math.sqrt(discordance)) / spread);
}

function checkArgs(n: number, discordance: number, alpha: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a whole number ≥ 1, got ${n}`);
  if (!(discordance >= 0 && discordance <= 1))
    throw new RangeError(`discordance must be a fraction from 0 to 1, got ${discordance}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be strictly between 0 and 1, got ${alpha}`);
}

/**
 * The smallest gain δ (a fraction of the n examples) McNemar's test detects with the given power,
 * by Connor's formula solved for δ: δ√n = z₁₋α/₂√ψ + z_power√(ψ − δ²) is a quadratic in δ, whose
 * larger root is (z_a√(ψn) + z_b√(ψ(n + z_b² − z_a²))) / (n + z_b²). Null when no gain can reach
 * that power at this discordance (the root exceeds ψ: even a model right on every disagreement
 * would fall short).
 */
export function minimumDetectableGain(
  n: number,
  discordance: number,
  settings: PowerSettings = {},
): number | null {
  const alpha = settings.alpha ?? 0.05;
  const power = settings.power ?? 0.8;
  checkArgs(n, discordance, alpha);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be strictly between 0 and 1, got ${power}`);
  if (discordance === 0) return null;
  const za = normalQuantile(1 - alpha / 2);
  const zb = normalQuantile(power);
  const under = n + zb * zb - za * za;
  if (under < 0) return null;
  const zbTerm = Math.sign(zb) * Math.sqrt(zb * zb * discordance * under);
  const gain = (za * Math.sqrt(discordance * n) + zbTerm) / (n + zb * zb);
  return gain > discordance ? null : gain;
}

export interface PowerStatement {
  /** Test examples both models were scored on. */
  n: number;
  /** Examples on which exactly one of the two models was right. */
  disagreements: number;
  /** The smallest detectable gain in accuracy points (0–100), null when none is detectable. */
  minimumGainPoints: number | null;
  alpha: number;
  power: number;
  method: string;
  sentence: string;
}

export const POWER_METHOD =
  "Connor (1987) normal approximation to McNemar's test at the observed disagreement rate";

/** The power statement for one pair of models, scored on n examples and disagreeing on `disagreements`. */
export function powerStatement(
  n: number,
  disagreements: number,
  settings: PowerSettings = {},
): PowerStatement {
  const alpha = settings.alpha ?? 0.05;
  const power = settings.power ?? 0.8;
  if (!Number.isInteger(disagreements) || disagreements < 0 || disagreements > n)
    throw new RangeError(`disagreements must be a whole number from 0 to ${n}, got ${disagreements}`);
  const gain = minimumDetectableGain(n, disagreements / n, { alpha, power });
  const pct = `${Math.round(power * 100)} % power`;
  const where = `with ${n} test examples and the two models disagreeing on ${disagreements}`;
  const sentence =
    gain === null
      ? `${where}, no gain can be told from chance at ${pct} and α = ${alpha}: too few disagreements.`
      : `${where}, a gain below ${(100 * gain).toFixed(1)} points cannot be told from chance at ${pct} and α = ${alpha}.`;
  return {
    n,
    disagreements,
    minimumGainPoints: gain === null ? null : 100 * gain,
    alpha,
    power,
    method: POWER_METHOD,
    sentence,
  };
}

/** A pair's McNemar counts, as compare's pairwise tests give them. */
export interface PairCounts {
  a: string;
  b: string;
  onlyA: number;
  onlyB: number;
}

/** The power statement of every pair, scored on the same n test examples. */
export function pairPowerStatements(
  pairs: readonly PairCounts[],
  n: number,
  settings: PowerSettings = {},
): Array<PowerStatement & { a: string; b: string }> {
  return pairs.map((p) => ({ a: p.a, b: p.b, ...powerStatement(n, p.onlyA + p.onlyB, settings) }));
}

/**
 * Printed notes: the power of each comparison with the first model (the baseline), as
 * "flip vs no regularization: …"; every pair's statement is in compare's --json.
 */
export function powerLines(pairs: readonly PairCounts[], n: number, baseline: string): string[] {
  const withBase = pairs.filter((p) => p.a === baseline || p.b === baseline);
  if (withBase.length === 0) return [];
  return [
    `Power (${POWER_METHOD}, 80 %, α = 0.05):`,
    ...pairPowerStatements(withBase, n).map(
      (s) => `  ${s.a === baseline ? s.b : s.a} vs ${baseline}: ${s.sentence}`,
    ),
  ];
}
