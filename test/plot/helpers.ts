import type { Matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import { type Dataset, fromExampleRows } from "../../src/data/dataset.js";

/** m points uniform in [-0.7, 0.35] × [-0.7, 0.6], labelled by x2 > x1 (no noise). */
export function linearData(m: number, seed = 0): Dataset {
  const rs = new RandomState(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let j = 0; j < m; j++) {
    const x = -0.7 + 1.05 * rs.random();
    const y = -0.7 + 1.3 * rs.random();
    rows.push([x, y]);
    labels.push(y > x ? 1 : 0);
  }
  return fromExampleRows(rows, labels);
}

/** P(class 1) = sigmoid(10·(x2 − x1)), on a features × m matrix. */
export function linearPredict(X: Matrix): Float64Array {
  const m = X.cols;
  const out = new Float64Array(m);
  for (let j = 0; j < m; j++) out[j] = 1 / (1 + Math.exp(-10 * (X.data[m + j] - X.data[j])));
  return out;
}

/** The fill colour of every heat-map cell, rebuilt from the SVG (rows from the top). */
export function heatmapCells(svg: string): { nx: number; ny: number; colors: string[]; box: number[] } {
  const start = svg.indexOf('<g class="heatmap"');
  if (start < 0) throw new Error("no heat map");
  const end = svg.indexOf("</g>", start);
  const g = svg.slice(start, end);
  const t = /translate\(([-\d.]+) ([-\d.]+)\) scale\(([-\d.]+) ([-\d.]+)\)/.exec(g);
  const base = /<rect x="0" y="0" width="(\d+)" height="(\d+)" fill="(#[0-9a-f]{6})"\/>/.exec(g);
  if (!t || !base) throw new Error("unexpected heat map markup");
  const nx = Number(base[1]);
  const ny = Number(base[2]);
  const colors = new Array<string>(nx * ny).fill(base[3]);
  for (const p of g.matchAll(/<path d="([^"]*)" fill="(#[0-9a-f]{6})"\/>/g)) {
    for (const r of p[1].matchAll(/M(\d+) (\d+)h(\d+)v(\d+)h-(\d+)/g)) {
      const [i, row, len, h] = [Number(r[1]), Number(r[2]), Number(r[3]), Number(r[4])];
      for (let rr = row; rr < row + h; rr++) for (let ii = i; ii < i + len; ii++) colors[rr * nx + ii] = p[2];
    }
  }
  const box = [Number(t[1]), Number(t[2]), Number(t[3]) * nx, Number(t[4]) * ny];
  return { nx, ny, colors, box };
}

export function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Absolute vertices of a path made of M, L, l (relative lines) and z commands. */
export function pathPoints(d: string): Array<[number, number]> {
  const tokens = d.match(/[MLlZz]|-?(?:\d+\.?\d*|\.\d+)/g) ?? [];
  const pts: Array<[number, number]> = [];
  let cmd = "M";
  let x = 0;
  let y = 0;
  for (let k = 0; k < tokens.length; ) {
    const t = tokens[k];
    if (/[MLlZz]/.test(t)) {
      cmd = t;
      k++;
      continue;
    }
    const a = Number(tokens[k]);
    const b = Number(tokens[k + 1]);
    k += 2;
    if (cmd === "l") {
      x += a;
      y += b;
    } else {
      x = a;
      y = b;
      if (cmd === "M") cmd = "L";
    }
    pts.push([x, y]);
  }
  return pts;
}
