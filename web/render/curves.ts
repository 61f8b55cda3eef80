/** Cost curves on a canvas: iterations across, cross-entropy up, a vertical marker per event. */
import { formatTick, niceTicks } from "../../src/plot/scale.js";
import { fitCanvas } from "./canvas.js";

export interface CurveSeries {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  /** Short dashes: a line drawn over another that it may equal. */
  readonly dotted?: boolean;
  readonly width?: number;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export interface CurveMarker {
  readonly x: number;
  readonly label: string;
}

const PAD = { left: 58, right: 10, top: 8, bottom: 40 };

export function drawCurves(
  canvas: HTMLCanvasElement,
  series: readonly CurveSeries[],
  xMax: number,
  markers: readonly CurveMarker[] = [],
  yLabel = "cost (cross-entropy)",
): void {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  let yMax = 0;
  for (const s of series) {
    for (let k = 0; k < s.y.length; k++) {
      const v = s.y[k];
      if (Number.isFinite(v) && v > yMax) yMax = v;
    }
  }
  yMax = yMax > 0 ? Math.min(yMax * 1.05, 5) : 1;
  const xTicks = niceTicks(0, Math.max(1, xMax), Math.max(2, Math.floor(plotW / 70)));
  const yTicks = niceTicks(0, yMax, Math.max(2, Math.floor(plotH / 36)));
  const xTop = Math.max(xMax, xTicks[xTicks.length - 1] ?? xMax);
  const yTop = Math.max(yMax, yTicks[yTicks.length - 1] ?? yMax);
  const X = (v: number) => PAD.left + (v / xTop) * plotW;
  const Y = (v: number) => PAD.top + plotH - (Math.min(v, yTop) / yTop) * plotH;

  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = "#555";
  ctx.strokeStyle = "#e3e6ea";
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of yTicks) {
    const y = Math.round(Y(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(PAD.left, y);
    ctx.lineTo(PAD.left + plotW, y);
    ctx.stroke();
    ctx.fillText(formatTick(t, yTicks), PAD.left - 5, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of xTicks) {
    const x = Math.round(X(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, PAD.top + plotH);
    ctx.lineTo(x, PAD.top + plotH + 4);
    ctx.strokeStyle = "#999";
    ctx.stroke();
    const label = formatTick(t, xTicks);
    const half = ctx.measureText(label).width / 2;
    ctx.fillText(label, Math.min(x, width - half - 1), PAD.top + plotH + 6);
  }
  // Axis titles: what is counted across and measured up.
  ctx.fillStyle = "#333";
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText("iteration", PAD.left + plotW / 2, height - 2);
  ctx.save();
  ctx.translate(12, PAD.top + plotH / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText(yLabel, 0, 0);
  ctx.restore();
  ctx.fillStyle = "#555";
  ctx.strokeStyle = "#999";
  ctx.beginPath();
  ctx.moveTo(PAD.left + 0.5, PAD.top);
  ctx.lineTo(PAD.left + 0.5, PAD.top + plotH + 0.5);
  ctx.lineTo(PAD.left + plotW, PAD.top + plotH + 0.5);
  ctx.stroke();

  ctx.save();
  ctx.beginPath();
  ctx.rect(PAD.left, PAD.top - 1, plotW + 1, plotH + 2);
  ctx.clip();
  for (const m of markers) {
    const x = Math.round(X(m.x)) + 0.5;
    ctx.strokeStyle = "#666";
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(x, PAD.top);
    ctx.lineTo(x, PAD.top + plotH);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = "#333";
    ctx.textAlign = x > PAD.left + plotW - 80 ? "right" : "left";
    ctx.textBaseline = "top";
    ctx.fillText(m.label, x + (ctx.textAlign === "right" ? -4 : 4), PAD.top + 2);
  }
  ctx.lineJoin = "round";
  for (const s of series) {
    if (s.x.length === 0) continue;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width ?? 1.8;
    ctx.setLineDash(s.dotted ? [2, 3] : s.dashed ? [5, 3] : []);
    ctx.beginPath();
    // A run kept open records without end: points sharing a pixel column are drawn as that
    // column's low and high, so a frame costs the plot's width, not the history's length.
    let started = false;
    let col = Number.NaN;
    let lo = 0;
    let hi = 0;
    let lastY = 0;
    const flush = () => {
      if (Number.isNaN(col)) return;
      if (hi > lo) {
        ctx.lineTo(col, lo);
        ctx.lineTo(col, hi);
      }
      ctx.lineTo(col, lastY);
    };
    for (let k = 0; k < s.x.length; k++) {
      const v = s.y[k];
      if (!Number.isFinite(v)) {
        flush();
        col = Number.NaN;
        started = false;
        continue;
      }
      const x = X(s.x[k]);
      const y = Y(v);
      const c = Math.round(x);
      if (started && c === col) {
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
        lastY = y;
        continue;
      }
      flush();
      if (started) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      started = true;
      col = c;
      lo = y;
      hi = y;
      lastY = y;
    }
    flush();
    ctx.stroke();
  }
  ctx.restore();
  ctx.setLineDash([]);
}
