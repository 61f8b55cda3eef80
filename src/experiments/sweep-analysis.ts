/**
 * What a sweep's validation curves say, in words: which axes it varied, the λ curve's
 * bias/variance reading (the article's over-smoothing claim) and whether the wide layer wanted the
 * lower keepProb. Pure functions of a SweepResult; the CLI prints them, the report can too.
 */
import { type OverSmoothing, overSmoothing, wideLayerClaim } from "./claims.js";
import { type KeepProb, keepProbText, type SweepResult } from "./sweep.js";

/** Which axes the sweep varied (λ, keepProb, a settings row, or several). */
export function sweptAxes(r: SweepResult): { lambda: boolean; keepProb: boolean; setting?: string } {
  const keepProb = r.spec.keepProbs.length > 1;
  const setting = r.spec.setting?.name;
  return {
    lambda: r.spec.lambdas.length > 1 || (!keepProb && !setting),
    keepProb,
    ...(setting && { setting }),
  };
}

/** "λ = 0.3, keepProb = 0.86", naming only the swept values. */
export function configLabel(
  p: { lambda: number; keepProb: KeepProb; setting?: number },
  axes: { lambda: boolean; keepProb: boolean; setting?: string },
) {
  const parts: string[] = [];
  if (axes.lambda) parts.push(`λ = ${p.lambda}`);
  if (axes.keepProb) parts.push(`keepProb = ${keepProbText(p.keepProb)}`);
  if (axes.setting) parts.push(`${axes.setting} = ${p.setting}`);
  return parts.join(", ");
}

/** The bias/variance reading of the λ curve at the winner's keepProb (the article's claim 2). */
export function lambdaReading(r: SweepResult): OverSmoothing | undefined {
  if (r.spec.lambdas.length < 2) return undefined;
  const w = r.points[r.winner];
  const curve = r.points.filter((p) => p.keepProb === w.keepProb && !p.diverged);
  return overSmoothing(
    curve.map((p) => ({
      value: p.lambda,
      trainAccuracy: p.trainAccuracy.mean,
      devAccuracy: p.devAccuracy.mean,
    })),
  );
}

/** What the λ curve says: diverged larger λ, or the bias/variance reading. */
export function overSmoothingNote(r: SweepResult): string | undefined {
  if (r.spec.lambdas.length < 2) return undefined;
  const w = r.points[r.winner];
  const beyond = r.points.filter((p) => p.keepProb === w.keepProb && p.lambda > w.lambda);
  if (beyond.length > 0 && beyond.every((p) => p.diverged))
    return `Every larger λ tried diverged; try values between ${w.lambda} and ${beyond[0].lambda}.`;
  return lambdaReading(r)?.sentence;
}

/** Whether the widest hidden layer wanted the lower keepProb (the article's claim 3), at the winner's λ. */
export function wideLayerNote(r: SweepResult): string | undefined {
  if (!r.spec.keepProbs.some((k) => typeof k !== "number")) return undefined;
  const w = r.points[r.winner];
  const layers = r.spec.base.hidden.length;
  const curve = r.points.filter((p) => p.lambda === w.lambda && !p.diverged);
  const points = curve.map((p) => ({
    keepProb: typeof p.keepProb === "number" ? Array<number>(layers).fill(p.keepProb) : p.keepProb,
    devAccuracy: p.devAccuracy.mean,
  }));
  return wideLayerClaim(points, r.spec.base.hidden, curve.indexOf(w)).sentence;
}
