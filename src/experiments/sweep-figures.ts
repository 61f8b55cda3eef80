/** A sweep's validation curves as an SVG figure (mean ± sd bands, the winner and the over-smoothed region marked). */
import { type BandSeries, plotBands, type VerticalMarker } from "../plot/index.js";
import type { SweepPoint, SweepResult } from "./sweep.js";
import { keepProbText } from "./sweep.js";
import { configLabel, lambdaReading, sweptAxes } from "./sweep-analysis.js";

/** x positions for the plot: λ on a log axis puts λ = 0 one grid step below the smallest λ > 0. */
function plotAxis(r: SweepResult): {
  name: string;
  values: number[];
  logX: boolean;
  label: string;
  zero?: number;
} {
  const axes = sweptAxes(r);
  if (!axes.lambda) {
    const keeps = r.spec.keepProbs;
    if (keeps.every((k) => typeof k === "number")) {
      return {
        name: "keepProb",
        values: keeps as number[],
        logX: false,
        label: "keepProb (probability of keeping a unit)",
      };
    }
    // Per-layer settings have no one number: number them, and say which is which.
    return {
      name: "keepProb",
      values: keeps.map((_, i) => i + 1),
      logX: false,
      label: `keepProb per hidden layer: ${keeps.map((k, i) => `${i + 1} = ${keepProbText(k)}`).join(", ")}`,
    };
  }
  const positive = r.spec.lambdas.filter((v) => v > 0).sort((a, b) => a - b);
  const logX = positive.length >= 2 && positive[positive.length - 1] / positive[0] >= 10;
  if (!logX) return { name: "λ", values: r.spec.lambdas, logX: false, label: "λ (L2 strength)" };
  const step = positive[1] / positive[0];
  const zero = positive[0] / step;
  const values = r.spec.lambdas.map((v) => (v === 0 ? zero : v));
  const hasZero = r.spec.lambdas.includes(0);
  const label = hasZero ? `λ (log scale; λ = 0 drawn at ${Number(zero.toPrecision(2))})` : "λ (log scale)";
  return { name: "λ", values, logX, label, ...(hasZero && { zero }) };
}

/** Validation curves (mean ± sd bands) of accuracy or cost against the swept value. */
export function sweepPlot(r: SweepResult, what: "accuracy" | "cost"): string {
  const axis = plotAxis(r);
  const axes = sweptAxes(r);
  const groupBy = axes.lambda && axes.keepProb ? "keepProb" : undefined;
  const xOf = (p: SweepPoint) =>
    axis.values[axis.name === "λ" ? r.spec.lambdas.indexOf(p.lambda) : r.spec.keepProbs.indexOf(p.keepProb)];
  const band = (name: string, all: SweepPoint[], key: "train" | "dev", dashed: boolean): BandSeries => {
    // A diverged configuration has no score to draw.
    const pts = all.filter((p) => !p.diverged);
    const s = pts.map((p) => (what === "accuracy" ? p[`${key}Accuracy`] : p[`${key}Cost`]));
    return {
      name,
      x: pts.map(xOf),
      mean: s.map((v) => v.mean),
      low: s.map((v) => v.mean - v.sd),
      high: s.map((v) => v.mean + v.sd),
      dashed,
    };
  };
  const series: BandSeries[] = [];
  if (groupBy) {
    for (const kp of r.spec.keepProbs) {
      series.push(
        band(
          `dev, keepProb ${keepProbText(kp)}`,
          r.points.filter((p) => p.keepProb === kp),
          "dev",
          false,
        ),
      );
    }
  } else {
    series.push(band("train (mean ± sd)", r.points, "train", true));
    series.push(band("dev (mean ± sd)", r.points, "dev", false));
  }
  const w = r.points[r.winner];
  const markers: VerticalMarker[] = [{ x: xOf(w), label: `chosen: ${configLabel(w, axes)}` }];
  if (axis.zero !== undefined) markers.push({ x: axis.zero, label: "λ = 0" });
  const runs = `${r.spec.folds} folds × ${r.spec.seeds.length} seed${r.spec.seeds.length > 1 ? "s" : ""}`;
  // Where train and dev accuracy both fall: high bias, shaded from that λ to the axis's end.
  const reading = axis.name === "λ" ? lambdaReading(r) : undefined;
  const regions = [];
  if (reading?.from !== undefined) {
    // From halfway (on the axis's own scale) between the λ before it and the first over-smoothed λ.
    const xs = [...axis.values].sort((p, q) => p - q);
    const at = axis.values[r.spec.lambdas.indexOf(reading.from)];
    const before = xs.filter((v) => v < at).at(-1);
    const start = before === undefined ? at : axis.logX ? Math.sqrt(before * at) : (before + at) / 2;
    regions.push({ from: start, to: Number.POSITIVE_INFINITY, label: "over-smoothed: high bias" });
  }
  return plotBands(series, {
    regions,
    title: `Validation curves: ${what} against ${axis.name} (${runs})`,
    xLabel: axis.label,
    yLabel: what === "accuracy" ? "accuracy" : "cross-entropy (no L2 term)",
    logX: axis.logX,
    markers,
  });
}
