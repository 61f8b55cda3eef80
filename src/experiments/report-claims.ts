/**
 * The report's "what the article claims, measured" section: the weight-norm trajectories of no
 * regularization, L2, dropout and early stopping on one chart, and one sentence per claim of the
 * seed, written from this run's numbers (claims.ts), saying whether it held here.
 */
import { sumSquaredWeights } from "../core/losses.js";
import { plotWeightNorms } from "../plot/norms.js";
import { seriesColor } from "../plot/palette.js";
import {
  type Claim,
  dropoutCostClaim,
  type NormRun,
  orthogonalizationClaim,
  summedNorms,
  weightNormClaims,
} from "./claims.js";
import type { ComparisonRow } from "./compare.js";
import { esc, figureHtml, type ReportFigure } from "./report-template.js";

function normRun(r: ComparisonRow): NormRun {
  const h = r.result.history;
  return {
    name: r.model.name,
    iterations: h.iterations,
    norms: summedNorms(h.weightNorms),
    final: sumSquaredWeights(r.result.network.weights),
    ...(h.bestIteration !== undefined && { kept: h.bestIteration }),
  };
}

/** The rows the claims speak of, found by their keys (any may be missing). */
function pick(rows: readonly ComparisonRow[]) {
  const by = (key: string) => rows.find((r) => r.model.key === key);
  return {
    none: by("none") ?? rows[0],
    l2: by("l2"),
    // Real dropout (fresh masks) when it was run; else the seed's fixed-mask row.
    dropout: by("dropout-fresh") ?? by("dropout-fixed"),
    es: rows.find((r) => r.model.earlyStopping),
    l2ToEnd: rows.find((r) => r.model.holdOut),
  };
}

/** Every claim the rows can decide, in the seed's order. */
export function reportClaims(rows: readonly ComparisonRow[], checkCommand: string): Claim[] {
  const { none, l2, dropout, es, l2ToEnd } = pick(rows);
  const claims = weightNormClaims({
    none: normRun(none),
    ...(l2 && { l2: normRun(l2) }),
    ...(dropout && { dropout: normRun(dropout) }),
    ...(es && { earlyStopping: normRun(es) }),
  });
  if (dropout) claims.push(dropoutCostClaim(dropout.model.name, dropout.result.history.costs, checkCommand));
  if (l2ToEnd && es && l2ToEnd.testCorrect && es.testCorrect) {
    claims.push(
      orthogonalizationClaim(
        { name: l2ToEnd.model.name, testAccuracy: l2ToEnd.testAccuracy!, testCorrect: l2ToEnd.testCorrect },
        { name: es.model.name, testAccuracy: es.testAccuracy!, testCorrect: es.testCorrect },
      ),
    );
  }
  return claims;
}

function verdict(c: Claim): string {
  if (c.partly) return `<span class="verdict partly">Held in part here.</span> `;
  if (c.held === undefined) return "";
  return `<span class="verdict ${c.held ? "held" : "failed"}">${c.held ? "Held here." : "Did not hold here."}</span> `;
}

/** The section (HTML) and its figure. */
export function claimsSection(
  rows: readonly ComparisonRow[],
  checkCommand: string,
): { html: string; figure: ReportFigure } | undefined {
  if (rows.length < 2) return undefined;
  const { none, l2, dropout, es } = pick(rows);
  const shown = [none, l2, dropout, es].filter((r): r is ComparisonRow => r !== undefined);
  const title = "Σ‖W‖² during training — none, L2, dropout, early stopping";
  const svg = plotWeightNorms(
    shown.map((r) => ({
      name: r.model.name,
      iterations: r.result.history.iterations,
      weightNorms: r.result.history.weightNorms,
      color: seriesColor(rows.indexOf(r)),
      ...(r.result.history.bestIteration !== undefined && { kept: r.result.history.bestIteration }),
    })),
    // Narrower than the page's other charts, so its text stays readable in a half-width column.
    { title, width: 660, height: 430 },
  );
  const items = reportClaims(rows, `\`${checkCommand}\``)
    .map(
      (c) =>
        `<li><blockquote>“${esc(c.quote)}”</blockquote>${verdict(c)}${esc(c.sentence).replace(/`([^`]+)`/g, "<code>$1</code>")}</li>`,
    )
    .join("\n");
  const html = `<section class="claims-section" id="claims">
<h2>What the article claims, measured</h2>
<div class="claims">
${figureHtml(svg, `The squared Frobenius norm of all weights, Σ_l ‖W_l‖², every ${none.result.config.costEvery} iterations (log scale); the dashed line marks the iteration whose weights early stopping kept. PNG: <code>weight-norms.png</code>`)}
<ol>
${items}
</ol>
</div>
<p class="note">The λ sweep's reading (over-smoothing: train and dev accuracy both falling) and the per-layer keepProb sweep come from <code>reglab sweep</code>; the dropout cost check from <code>reglab check</code>.</p>
</section>`;
  return { html, figure: { name: "weight-norms", title, svg } };
}
