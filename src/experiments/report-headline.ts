/**
 * The report's answer to "which model generalizes best?" on images: test accuracy per model with
 * its 95 % interval, dev and test accuracy over the iterations for every model on one chart, and
 * McNemar's test for every pair as a table (counts each way, p, Holm-corrected p, verdict).
 */

import { type CostSeries, plotCostCurves } from "../plot/curves.js";
import { plotIntervals } from "../plot/intervals.js";
import { seriesColor } from "../plot/palette.js";
import { ALPHA } from "./claims.js";
import { type ComparisonRow, pairwiseMcNemar } from "./compare.js";
import { POWER_METHOD, powerStatement } from "./power.js";
import { pValue } from "./report-prose.js";
import { esc, type ReportFigure } from "./report-template.js";
import { wilsonInterval } from "./stats.js";

/** Test accuracy per model with 95 % Wilson intervals, the first model's as a dashed line. */
export function accuracyFigure(rows: readonly ComparisonRow[]): ReportFigure | undefined {
  const scored = rows.filter((r) => r.testCorrect !== null);
  if (scored.length === 0) return undefined;
  const n = scored[0].testCorrect!.length;
  const items = rows.flatMap((r, i) => {
    if (r.testCorrect === null) return [];
    const w = wilsonInterval(Math.round(r.testAccuracy! * n), n);
    return [
      {
        name: r.model.name,
        estimate: 100 * w.estimate,
        low: 100 * w.low,
        high: 100 * w.high,
        color: seriesColor(i),
      },
    ];
  });
  const title = `Test accuracy on the ${n.toLocaleString("en-US")} test images, 95% intervals`;
  const base = rows[0];
  const svg = plotIntervals(items, {
    title,
    xLabel: "test accuracy (%)",
    estimateLabel: "test accuracy",
    intervalLabel: "95% Wilson interval",
    valueLabel: (it) => `${it.estimate.toFixed(1)}%`,
    ...(base.testAccuracy !== null && {
      reference: { value: 100 * base.testAccuracy, label: base.model.name },
    }),
  });
  return { name: "test-accuracy", title, svg };
}

/** Test accuracy (solid) and dev accuracy (dashed, where a model holds a dev set out) over iterations. */
export function accuracyCurvesFigure(rows: readonly ComparisonRow[]): ReportFigure | undefined {
  const series: CostSeries[] = [];
  rows.forEach((r, i) => {
    // From the first score after the start: iteration 0 is chance level and would squash the rest.
    const curve = (r.testCurve ?? []).filter((p) => p.iteration > 0);
    const color = seriesColor(i);
    if (curve.length > 0)
      series.push({
        name: r.model.name,
        iterations: curve.map((p) => p.iteration),
        costs: curve.map((p) => 100 * p.accuracy),
        color,
      });
    const dev = r.result.history.evaluations.filter((e) => e.devAccuracy !== undefined && e.iteration > 0);
    if (dev.length > 0)
      series.push({
        name: `${r.model.name} (dev)`,
        iterations: dev.map((e) => e.iteration),
        costs: dev.map((e) => 100 * e.devAccuracy!),
        color,
        dashed: true,
      });
  });
  if (series.length === 0) return undefined;
  const withDev = series.some((s) => s.dashed);
  const title = `${withDev ? "Test and dev" : "Test"} accuracy during training — every model`;
  const svg = plotCostCurves(series, { title, yLabel: "accuracy (%)" });
  return { name: "accuracy-curves", title, svg };
}

/** McNemar's test for every pair of models, as a section with a table (empty without a test set). */
/** The smallest gain detectable at 80 % power for a pair disagreeing on `d` of `n` examples. */
function detectableCell(n: number, d: number): string {
  const points = powerStatement(n, d).minimumGainPoints;
  return points === null ? "none (too few disagreements)" : `${points.toFixed(1)} points`;
}

export function mcnemarTable(rows: readonly ComparisonRow[]): string {
  const tests = pairwiseMcNemar(rows, ALPHA);
  if (tests.length === 0) return "";
  const n = rows[0].testCorrect!.length;
  const swatch = (name: string) => {
    const i = rows.findIndex((r) => r.model.name === name);
    return `<span class="swatch" style="background:${seriesColor(i)}"></span>${esc(name)}`;
  };
  const seeds = tests[0].seeds;
  const body = tests.map((t) => {
    const winner = t.onlyA > t.onlyB ? t.a : t.b;
    const verdict = t.significant
      ? `<span class="verdict held">${esc(winner)} better</span>`
      : `<span class="verdict none">no significant difference</span>`;
    const cells = [
      `<td>${swatch(t.a)}</td>`,
      `<td>${swatch(t.b)}</td>`,
      `<td>${t.onlyA}</td>`,
      `<td>${t.onlyB}</td>`,
      `<td>${pValue(t.pValue).slice(4)}</td>`,
      `<td>${pValue(t.adjusted).slice(4)}</td>`,
      `<td>${verdict}</td>`,
      `<td>${detectableCell(n, t.onlyA + t.onlyB)}</td>`,
    ];
    if (seeds > 1) cells.push(`<td>${t.seedsSignificant} of ${seeds}</td>`);
    return `<tr${t.significant ? ' class="significant"' : ""}>${cells.join("")}</tr>`;
  });
  const sig = tests.filter((t) => t.significant).length;
  return `<section class="mcnemar-section" id="mcnemar">
<h2>Which differences are real: McNemar's test on the ${n.toLocaleString("en-US")} test examples</h2>
<div class="table-wrap" tabindex="0" role="region" aria-label="McNemar table (scrolls sideways)"><table class="results mcnemar">
<thead><tr><th>model A</th><th>model B</th><th>only A right</th><th>only B right</th><th>p</th><th>Holm p</th><th>verdict at α = ${ALPHA}</th><th>detectable gain (80 % power)</th>${seeds > 1 ? `<th>significant in seeds</th>` : ""}</tr></thead>
<tbody>
${body.join("\n")}
</tbody>
</table></div>
<p class="note">Each pair is scored on the same test examples; only those where exactly one of the two is right count. p is McNemar's two-sided test (exact binomial under 25 such examples, else χ² with continuity correction) on the first seed's runs; Holm p corrects it for the ${tests.length} pairs tested at once, and a pair is called different only when Holm p &lt; ${ALPHA}: ${sig} of ${tests.length} here. The detectable gain is the smallest accuracy gain McNemar's test would find with 80 % power at α = 0.05, given how often the pair disagreed (${esc(POWER_METHOD)}): a smaller true gain cannot be told from chance with these ${n} examples.${seeds > 1 ? ` The last column counts the seeds in which the pair differs (Holm within each seed).` : ""}</p>
</section>`;
}
