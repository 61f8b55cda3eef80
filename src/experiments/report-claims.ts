/**
 * The report's "what the article claims, measured" section: the weight-norm trajectories of no
 * regularization, L2, dropout and early stopping (those that ran) on one chart, and one sentence
 * per claim of the article, written from this run's numbers (claims.ts), saying whether it held
 * here by the thresholds the section states.
 */
import { specText } from "../core/layers/spec.js";
import { sumSquaredWeights } from "../core/losses.js";
import { plotWeightNorms } from "../plot/norms.js";
import { seriesColor } from "../plot/palette.js";
import {
  augmentationClaim,
  type Claim,
  dropoutCostClaim,
  type NormRun,
  orthogonalizationClaim,
  summedNorms,
  thresholdsText,
  weightNormClaims,
} from "./claims.js";
import { type ComparisonRow, pairwiseMcNemar } from "./compare.js";
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
  // Without a "none" row (the digits' CNN set), the plain row of the augmented rows' network.
  const net = (r: ComparisonRow) => r.model.layers?.map(specText).join(",") ?? "dense";
  const augmented = rows.find((r) => r.model.augment);
  const plain = rows.find(
    (r) =>
      !r.model.augment &&
      Object.keys(r.model.overrides).length === 0 &&
      (!augmented || net(r) === net(augmented)),
  );
  return {
    none: by("none") ?? plain ?? rows[0],
    l2: by("l2"),
    // Real dropout (fresh masks) when it was run; else the article's fixed-mask row; on images "dropout".
    dropout: by("dropout-fresh") ?? by("dropout-fixed") ?? by("dropout"),
    es: rows.find((r) => r.model.earlyStopping),
    l2ToEnd: rows.find((r) => r.model.holdOut),
  };
}

/** Every claim the rows can decide, in the article's order. */
export function reportClaims(rows: readonly ComparisonRow[], checkCommand: string): Claim[] {
  const { none, l2, dropout, es, l2ToEnd } = pick(rows);
  const normClaims = weightNormClaims({
    none: normRun(none),
    ...(l2 && { l2: normRun(l2) }),
    ...(dropout && { dropout: normRun(dropout) }),
    ...(es && { earlyStopping: normRun(es) }),
  });
  // The article's order: L2, dropout (and its cost check), augmentation, early stopping, orthogonalization.
  const claims = normClaims.filter((c) => c.id !== "early-stopping-mid");
  if (dropout) {
    const keep = dropout.result.config.keepProb;
    // A layered row is checked on its layers (dropout layers among them, or keepProb after the dense ones),
    // with the optimizer of its set (the CNN sets' are not the data's defaults that check would take).
    const c = dropout.result.config;
    const layers = dropout.model.layers
      ? ` --layers ${dropout.model.layers.map(specText).join(",")} --optimizer ${c.optimizer.name} --learning-rate ${c.learningRate}${c.batchSize > 0 ? ` --batch-size ${c.batchSize}` : ""}`
      : "";
    const keepFlag = /--keep-prob\b/.test(checkCommand)
      ? ""
      : ` --keep-prob ${Array.isArray(keep) ? keep.join(",") : keep}`;
    const command = checkCommand.replace(/(`?)$/, `${layers}${keepFlag}$1`);
    // With mini-batches every cost wanders: dropout's must wander more than no regularization's.
    const batches = dropout.result.config.batchSize !== null && dropout.result.config.batchSize !== undefined;
    claims.push(
      dropoutCostClaim(
        dropout.model.name,
        dropout.result.history.costs,
        command,
        batches && dropout !== none ? none.result.history.costs : undefined,
      ),
    );
  }
  const augmented = rows.filter((r) => r.model.augment);
  if (augmented.length > 0 && none.testAccuracy !== null && !none.model.augment) {
    const tests = pairwiseMcNemar(rows);
    const scores = augmented.flatMap((r) => {
      const t = tests.find(
        (q) =>
          (q.a === none.model.name && q.b === r.model.name) ||
          (q.b === none.model.name && q.a === r.model.name),
      );
      if (!t || r.testAccuracy === null) return [];
      const first = t.a === r.model.name;
      return [
        {
          name: r.model.name,
          testAccuracy: r.testAccuracy,
          onlyThis: first ? t.onlyA : t.onlyB,
          onlyNone: first ? t.onlyB : t.onlyA,
          pValue: t.pValue,
          adjusted: t.adjusted,
        },
      ];
    });
    claims.push(augmentationClaim({ name: none.model.name, testAccuracy: none.testAccuracy }, scores));
  }
  claims.push(...normClaims.filter((c) => c.id === "early-stopping-mid"));
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

/** Short names of the rows the weight-norm chart draws, for its title. */
const ROLE = { none: "none", l2: "L2", dropout: "dropout", es: "early stopping" } as const;

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
  const roles = (["none", "l2", "dropout", "es"] as const).filter(
    (k) => ({ none, l2, dropout, es })[k] !== undefined,
  );
  const shown = roles.map((k) => ({ none, l2, dropout, es })[k] as ComparisonRow);
  // The title names what is drawn, and only that.
  const title = `Σ‖W‖² during training — ${roles.map((k) => ROLE[k]).join(", ")}`;
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
        `<li id="claim-${c.id}"><blockquote>“${esc(c.quote)}”</blockquote>${verdict(c)}${esc(c.sentence).replace(/`([^`]+)`/g, "<code>$1</code>")}</li>`,
    )
    .join("\n");
  const html = `<section class="claims-section" id="claims">
<h2>What the article claims, measured</h2>
<p class="note source">The article is “Regularization in Deep Learning Models” (Deep Learning on Medium), which this project grew from; each quote below is its words, each verdict this run's numbers.</p>
<div class="claims">
${figureHtml(svg, `The squared Frobenius norm of all weights, Σ_l ‖W_l‖², every ${none.result.config.costEvery} iterations (log scale), for ${shown.map((r) => esc(r.model.name)).join(", ")}${es?.result.history.bestIteration !== undefined ? "; the dashed vertical line marks the iteration whose weights early stopping kept" : ""}. PNG: <code>weight-norms.png</code>`)}
<ol>
${items}
</ol>
</div>
<p class="note thresholds">${esc(thresholdsText())}</p>
<p class="note">The λ sweep's reading (over-smoothing: train and dev accuracy both falling) and the per-layer keepProb sweep come from <code>reglab sweep</code>; the dropout cost check from <code>reglab check</code>.</p>
</section>`;
  return { html, figure: { name: "weight-norms", title, svg } };
}
