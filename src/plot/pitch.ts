/**
 * A football pitch drawn in data coordinates.
 *
 * Placement: the article's data are positions where a header was won after France's goalkeeper
 * kicked from the left side, plotted in the box FOOTBALL_VIEW. We map that box onto the WHOLE
 * pitch: its left edge (xMin) is France's goal line, where the goalkeeper kicks from, its right
 * edge (xMax) the opponents' goal line; its bottom and top edges (yMin, yMax) are the touchlines.
 * Lengths follow the Laws of the Game for a 105 m × 68 m pitch. The pitch stays attached to its
 * box whatever window a plot shows, so zooming or widening the view moves the lines with the data.
 * Plots with a pitch default to a plot area of 105:68 so that circles come out round.
 */
import type { Scale } from "./scale.js";
import { ellipsePath, fmt, polylinePath, tag } from "./svg.js";
import { FOOTBALL_VIEW, type View } from "./view.js";

export const PITCH_LENGTH = 105;
export const PITCH_WIDTH = 68;

const CENTRE_RADIUS = 9.15;
const PENALTY_DEPTH = 16.5;
const PENALTY_HALF_WIDTH = 20.16;
const GOAL_AREA_DEPTH = 5.5;
const GOAL_AREA_HALF_WIDTH = 9.16;
const PENALTY_SPOT = 11;
const GOAL_HALF_WIDTH = 3.66;
const GOAL_DEPTH = 2;
const CORNER_RADIUS = 1;

export interface PitchStyle {
  /** Line colour; default white. */
  color?: string;
  /** Line width in pixels; default 1.3. */
  width?: number;
  /** Line opacity; default 0.9. */
  opacity?: number;
  /** A faint dark outline under the lines, so they read on light backgrounds; default true. */
  halo?: boolean;
}

/** Maps pitch metres (along the length, across the width) to pixels through the data scales. */
function projector(xs: Scale, ys: Scale, box: View) {
  const px = (m: number) => xs.map(box.xMin + (m / PITCH_LENGTH) * (box.xMax - box.xMin));
  const py = (w: number) => ys.map(box.yMin + (w / PITCH_WIDTH) * (box.yMax - box.yMin));
  const sx = Math.abs(px(1) - px(0));
  const sy = Math.abs(py(1) - py(0));
  return { px, py, sx, sy };
}

/** The path data of all pitch lines (no spots). */
export function pitchLines(xs: Scale, ys: Scale, box: View = FOOTBALL_VIEW): string {
  const { px, py, sx, sy } = projector(xs, ys, box);
  const L = PITCH_LENGTH;
  const W = PITCH_WIDTH;
  const mid = W / 2;
  const rect = (m0: number, w0: number, m1: number, w1: number) =>
    polylinePath([px(m0), px(m1), px(m1), px(m0)], [py(w0), py(w0), py(w1), py(w1)], true);
  const open = (pts: ReadonlyArray<readonly [number, number]>) =>
    polylinePath(
      pts.map((p) => px(p[0])),
      pts.map((p) => py(p[1])),
    );
  const arc = (cm: number, cw: number, r: number, a0: number, a1: number, steps = 24) => {
    const pts: Array<[number, number]> = [];
    for (let i = 0; i <= steps; i++) {
      const a = a0 + ((a1 - a0) * i) / steps;
      pts.push([cm + r * Math.cos(a), cw + r * Math.sin(a)]);
    }
    return open(pts);
  };
  // The penalty arc is the part of the 9.15 m circle around the spot that lies outside the box.
  const half = Math.acos((PENALTY_DEPTH - PENALTY_SPOT) / CENTRE_RADIUS);
  const d = [
    rect(0, 0, L, W),
    open([
      [L / 2, 0],
      [L / 2, W],
    ]),
    ellipsePath(px(L / 2), py(mid), CENTRE_RADIUS * sx, CENTRE_RADIUS * sy),
    // Left (France's) end.
    open([
      [0, mid - PENALTY_HALF_WIDTH],
      [PENALTY_DEPTH, mid - PENALTY_HALF_WIDTH],
      [PENALTY_DEPTH, mid + PENALTY_HALF_WIDTH],
      [0, mid + PENALTY_HALF_WIDTH],
    ]),
    open([
      [0, mid - GOAL_AREA_HALF_WIDTH],
      [GOAL_AREA_DEPTH, mid - GOAL_AREA_HALF_WIDTH],
      [GOAL_AREA_DEPTH, mid + GOAL_AREA_HALF_WIDTH],
      [0, mid + GOAL_AREA_HALF_WIDTH],
    ]),
    open([
      [0, mid - GOAL_HALF_WIDTH],
      [-GOAL_DEPTH, mid - GOAL_HALF_WIDTH],
      [-GOAL_DEPTH, mid + GOAL_HALF_WIDTH],
      [0, mid + GOAL_HALF_WIDTH],
    ]),
    arc(PENALTY_SPOT, mid, CENTRE_RADIUS, -half, half),
    // Right (opponents') end.
    open([
      [L, mid - PENALTY_HALF_WIDTH],
      [L - PENALTY_DEPTH, mid - PENALTY_HALF_WIDTH],
      [L - PENALTY_DEPTH, mid + PENALTY_HALF_WIDTH],
      [L, mid + PENALTY_HALF_WIDTH],
    ]),
    open([
      [L, mid - GOAL_AREA_HALF_WIDTH],
      [L - GOAL_AREA_DEPTH, mid - GOAL_AREA_HALF_WIDTH],
      [L - GOAL_AREA_DEPTH, mid + GOAL_AREA_HALF_WIDTH],
      [L, mid + GOAL_AREA_HALF_WIDTH],
    ]),
    open([
      [L, mid - GOAL_HALF_WIDTH],
      [L + GOAL_DEPTH, mid - GOAL_HALF_WIDTH],
      [L + GOAL_DEPTH, mid + GOAL_HALF_WIDTH],
      [L, mid + GOAL_HALF_WIDTH],
    ]),
    arc(L - PENALTY_SPOT, mid, CENTRE_RADIUS, Math.PI - half, Math.PI + half),
    // Corner arcs.
    arc(0, 0, CORNER_RADIUS, 0, Math.PI / 2, 6),
    arc(L, 0, CORNER_RADIUS, Math.PI / 2, Math.PI, 6),
    arc(L, W, CORNER_RADIUS, Math.PI, 1.5 * Math.PI, 6),
    arc(0, W, CORNER_RADIUS, 1.5 * Math.PI, 2 * Math.PI, 6),
  ];
  return d.join("");
}

/** The centre and penalty spots, as one path of small discs. */
function pitchSpots(xs: Scale, ys: Scale, box: View): string {
  const { px, py } = projector(xs, ys, box);
  const mid = PITCH_WIDTH / 2;
  return [
    ellipsePath(px(PITCH_LENGTH / 2), py(mid), 1.8),
    ellipsePath(px(PENALTY_SPOT), py(mid), 1.6),
    ellipsePath(px(PITCH_LENGTH - PENALTY_SPOT), py(mid), 1.6),
  ].join("");
}

/** The pitch markings as an SVG group (not clipped: put it inside the plot area's viewport). */
export function drawPitch(xs: Scale, ys: Scale, box: View = FOOTBALL_VIEW, style: PitchStyle = {}): string {
  const color = style.color ?? "#ffffff";
  const width = style.width ?? 1.3;
  const lines = pitchLines(xs, ys, box);
  const spots = pitchSpots(xs, ys, box);
  const parts: string[] = [];
  if (style.halo ?? true) {
    parts.push(
      tag("path", {
        d: lines,
        fill: "none",
        stroke: "#000000",
        "stroke-opacity": 0.22,
        "stroke-width": width + 1.6,
        "stroke-linejoin": "round",
      }),
    );
  }
  parts.push(
    tag("path", { d: lines, fill: "none", stroke: color, "stroke-width": width, "stroke-linejoin": "round" }),
  );
  parts.push(tag("path", { d: spots, fill: color }));
  return tag("g", { class: "pitch", opacity: style.opacity ?? 0.9 }, parts);
}

/** Mown-grass stripes filling the pitch box (for scatter plots drawn on a pitch). */
export function drawGrass(xs: Scale, ys: Scale, box: View = FOOTBALL_VIEW, stripes = 12): string {
  const { px, py } = projector(xs, ys, box);
  // Surround: the same green, a little darker, so the area outside the lines still reads as grass.
  const [dx0, dx1] = xs.domain;
  const [dy0, dy1] = ys.domain;
  const parts: string[] = [
    tag("rect", {
      x: Math.min(xs.map(dx0), xs.map(dx1)),
      y: Math.min(ys.map(dy0), ys.map(dy1)),
      width: Math.abs(xs.map(dx1) - xs.map(dx0)),
      height: Math.abs(ys.map(dy1) - ys.map(dy0)),
      fill: "#4f8f3f",
    }),
  ];
  const top = Math.min(py(0), py(PITCH_WIDTH));
  const h = Math.abs(py(PITCH_WIDTH) - py(0));
  let d = "";
  for (let i = 0; i < stripes; i++) {
    const a = px((i * PITCH_LENGTH) / stripes);
    const b = px(((i + 1) * PITCH_LENGTH) / stripes);
    if (i % 2 === 0)
      d += `M${fmt(Math.min(a, b))} ${fmt(top)}h${fmt(Math.abs(b - a))}v${fmt(h)}h${fmt(-Math.abs(b - a))}Z`;
  }
  parts.push(
    tag("rect", {
      x: Math.min(px(0), px(PITCH_LENGTH)),
      y: top,
      width: Math.abs(px(PITCH_LENGTH) - px(0)),
      height: h,
      fill: "#5fa14c",
    }),
  );
  parts.push(tag("path", { d, fill: "#68aa55" }));
  return tag("g", { class: "grass", "shape-rendering": "crispEdges" }, parts);
}
