/**
 * The loss curves beside the boundary: the training objective and the train/dev/test losses of
 * one model, or each compared model's train and test losses, with their legend.
 */
import { $ } from "./dom.js";
import type { ModelHistory } from "./history.js";
import { COMPARE_TITLES } from "./models.js";
import type { ModelSnapshot } from "./protocol.js";
import { SERIES_COLORS } from "./render/colors.js";
import { type CurveMarker, type CurveSeries, drawCurves } from "./render/curves.js";

export interface CurvesScene {
  readonly histories: readonly ModelHistory[];
  readonly latest: readonly ModelSnapshot[];
  readonly hasDev: boolean;
  readonly hasTest: boolean;
  /** The run's length, for the axis while it grows. */
  readonly iterations: number;
  /** Test points are shown: their curves too. */
  readonly showTest: boolean;
}

const LEGEND_TITLE =
  "cost: the training objective as reglab train records it (this step's dropout, plus the L2 term); train, dev, test: cross-entropy of the current weights, no dropout, no L2";

type Evaluation = ModelHistory["evaluations"][number];

function evaluations(h: ModelHistory, f: (e: Evaluation) => number | undefined) {
  return { x: h.evaluations.map((e) => e.iteration), y: h.evaluations.map((e) => f(e) ?? Number.NaN) };
}

function seriesOf(scene: CurvesScene): { series: CurveSeries[]; markers: CurveMarker[] } {
  const series: CurveSeries[] = [];
  const markers: CurveMarker[] = [];
  const hs = scene.histories;
  if (hs.length === 1) {
    const h = hs[0];
    series.push({ label: "train", color: SERIES_COLORS[0], ...evaluations(h, (e) => e.trainLoss) });
    if (scene.hasDev)
      series.push({ label: "dev", color: SERIES_COLORS[1], ...evaluations(h, (e) => e.devLoss) });
    // Drawn last, thin and dotted: without L2 and dropout it equals the train loss, and must not
    // vanish under it.
    series.push({
      label: "cost (objective)",
      color: "#111",
      width: 1.4,
      dotted: true,
      x: h.costIterations,
      y: h.costs,
    });
    if (scene.hasTest && scene.showTest)
      series.push({
        label: "test",
        color: SERIES_COLORS[2],
        dashed: true,
        ...evaluations(h, (e) => e.testLoss),
      });
    const best = scene.latest[0]?.bestIteration;
    if (best !== undefined && scene.latest[0]?.done) markers.push({ x: best, label: `best dev (${best})` });
  } else {
    hs.forEach((h, i) => {
      const color = SERIES_COLORS[i];
      const title = COMPARE_TITLES[h.key] ?? h.name;
      series.push({ label: `${title} train`, color, ...evaluations(h, (e) => e.trainLoss) });
      if (scene.hasTest && scene.showTest)
        series.push({ label: `${title} test`, color, dashed: true, ...evaluations(h, (e) => e.testLoss) });
    });
  }
  return { series, markers };
}

/** A series with nothing to draw yet (or ever) stays out of the legend. */
function drawable(s: CurveSeries): boolean {
  for (let k = 0; k < s.y.length; k++) if (Number.isFinite(s.y[k])) return true;
  return false;
}

export function drawCurvesPanel(scene: CurvesScene): void {
  const all = seriesOf(scene);
  const markers = all.markers;
  const series = all.series.filter(drawable);
  // The axis grows with the run (a 10-million-iteration run still shows its first thousand),
  // and ends where training ended.
  const at = Math.max(0, ...scene.latest.map((m) => m.iteration));
  const done = scene.latest.length > 0 && scene.latest.every((m) => m.done);
  const xMax = done ? Math.max(1, at) : Math.min(scene.iterations, Math.max(100, Math.ceil(at * 1.25)));
  drawCurves($("curves"), series, xMax, markers);
  const ul = $("curve-legend");
  const key = series.map((l) => l.label).join("|");
  if (ul.dataset.key === key) return;
  ul.dataset.key = key;
  ul.replaceChildren(
    ...series.map((l) => {
      const li = document.createElement("li");
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.borderTopColor = l.color;
      if (l.dashed) sw.style.borderTopStyle = "dashed";
      if (l.dotted) sw.style.borderTopStyle = "dotted";
      li.append(sw, l.label);
      return li;
    }),
  );
  ul.title = LEGEND_TITLE;
}
