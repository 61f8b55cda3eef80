/**
 * The kick map: the answer to the article's business question drawn on the pitch — the mean win
 * probability as a heat map, the recommended zones outlined and numbered at their aim points,
 * the training points, and a legend that lists each zone's numbers. Built from the plot module's
 * helpers (layout, axes, heat map, pitch, legend); browser-safe like the rest of `src/plot`.
 */
import type { Dataset } from "../data/dataset.js";
import { HEATMAP_INTENSITY } from "./boundary.js";
import { colorIndices, heatmapSvg } from "./heatmap.js";
import type { LegendItem } from "./legend.js";
import { CLASS_COLORS, divergingTable } from "./palette.js";
import { drawPitch, PITCH_LENGTH, PITCH_WIDTH } from "./pitch.js";
import { DEFAULT_CLASS_NAMES, levelPath, type PlaneOptions, planeDocument, pointsSvg } from "./plane.js";
import type { ProbabilityMap, Zone } from "./probability-map.js";
import type { Scale } from "./scale.js";
import { ellipsePath, tag, text } from "./svg.js";
import { FOOTBALL_VIEW, type View } from "./view.js";

export interface KickMapOptions extends Omit<PlaneOptions, "view" | "margin"> {
  /** The threshold the zones were found with (cells whose lower bound is ≥ it). */
  threshold: number;
  /** Per cell, the rank of the zone it lies in (0 = none): `zoneMembership(map, zones, threshold)`. */
  membership: Int32Array;
  /** Training points to draw on top (small discs); omit to leave them out. */
  data?: Dataset;
  /** Colours of the heat map; default 32. */
  levels?: number;
  /** Draw the mean p = 0.5 line; default true. */
  contour?: boolean;
  /** How many zones to number and list (the rest are still outlined); default 5. */
  maxListed?: number;
  /** Area unit in the legend: "m²" (a pitch) or data units² (default). */
  areaUnit?: "m2" | "data";
  /** A sentence under the map (the coach's recommendation). */
  caption?: string;
  /**
   * With `data`: cells farther than this from every training point are washed out as "no data
   * here" — metres with a pitch (default 8), else data units (default 6 % of the view's width).
   */
  noDataRadius?: number;
}

/** Where the goalkeeper kicks from: the edge of France's goal area, mid-goal, in pitch metres. */
const KICK_POINT = { along: 5.5, across: 34 };

/**
 * Per cell (top row first, as drawn), 1 where no training point lies within `radius`, measured
 * in metres through the pitch box when there is one.
 */
function noDataMask(map: ProbabilityMap, data: Dataset, radius: number, box: View | undefined): Int16Array {
  const { view, nx, ny } = map;
  const sx = box ? PITCH_LENGTH / (box.xMax - box.xMin) : 1;
  const sy = box ? PITCH_WIDTH / (box.yMax - box.yMin) : 1;
  const m = data.X.cols;
  const out = new Int16Array(nx * ny);
  const r2 = radius * radius;
  for (let r = 0; r < ny; r++) {
    const y = view.yMin + ((ny - 1 - r + 0.5) / ny) * (view.yMax - view.yMin);
    for (let i = 0; i < nx; i++) {
      const x = view.xMin + ((i + 0.5) / nx) * (view.xMax - view.xMin);
      let near = false;
      for (let j = 0; j < m && !near; j++) {
        const dx = (data.X.data[j] - x) * sx;
        const dy = (data.X.data[m + j] - y) * sy;
        near = dx * dx + dy * dy <= r2;
      }
      out[r * nx + i] = near ? -1 : 0;
    }
  }
  return out;
}

/** Zone cells (top row first, as drawn): 0 inside a zone, −1 outside. */
function zoneMask(map: ProbabilityMap, membership: Int32Array): Int16Array {
  const { nx, ny } = map;
  const out = new Int16Array(nx * ny);
  for (let r = 0; r < ny; r++) {
    const j = ny - 1 - r;
    for (let i = 0; i < nx; i++) out[r * nx + i] = membership[j * nx + i] > 0 ? 0 : -1;
  }
  return out;
}

/** France's goal and the goalkeeper's kick point, labelled on the pitch. */
function goalMarks(xs: Scale, ys: Scale, box: View): string {
  const px = (m: number) => xs.map(box.xMin + (m / PITCH_LENGTH) * (box.xMax - box.xMin));
  const py = (w: number) => ys.map(box.yMin + (w / PITCH_WIDTH) * (box.yMax - box.yMin));
  const kx = px(KICK_POINT.along);
  const ky = py(KICK_POINT.across);
  const halo = { stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke", "stroke-linejoin": "round" };
  return tag("g", { class: "goal-marks" }, [
    tag("path", {
      d: `M${kx} ${ky - 7}L${kx + 7} ${ky}L${kx} ${ky + 7}L${kx - 7} ${ky}Z`,
      fill: "#ffd400",
      stroke: OUTLINE,
      "stroke-width": 1.5,
    }),
    text(kx + 10, ky + 4, "keeper kicks from here", {
      "font-size": 11,
      "font-weight": "bold",
      fill: OUTLINE,
      ...halo,
    }),
    text(px(1), py(KICK_POINT.across + 6), "France's goal", {
      "font-size": 11,
      "font-weight": "bold",
      fill: OUTLINE,
      ...halo,
    }),
  ]);
}

const OUTLINE = "#111111";
const ZONE_FILL = "#0a2a66";

/**
 * The zones' outlines: the level line lowerBound = threshold (marching squares on the cell
 * centres, so the outline is smooth), with cells outside every zone (specks too small to count)
 * pushed below the threshold so that only real zones are drawn.
 */
function zoneOutlines(
  map: ProbabilityMap,
  labels: Int32Array,
  threshold: number,
  xs: Scale,
  ys: Scale,
): string {
  const values = new Float64Array(map.low.length);
  for (let c = 0; c < values.length; c++) {
    values[c] = labels[c] > 0 ? map.low[c] : Math.min(map.low[c], threshold - 1e-9);
  }
  return levelPath({ view: map.view, nx: map.nx, ny: map.ny, values }, threshold, xs, ys);
}

function badge(x: number, y: number, label: string): string {
  return [
    tag("path", { d: ellipsePath(x, y, 10), fill: "#ffffff", stroke: OUTLINE, "stroke-width": 1.6 }),
    text(x, y + 4.5, label, {
      "text-anchor": "middle",
      "font-size": 13,
      "font-weight": "bold",
      fill: OUTLINE,
    }),
  ].join("");
}

function percent(p: number): string {
  return `${Math.round(100 * p)}%`;
}

/**
 * Draws a probability map with its zones, as given: `zones` from `recommendZones(map, { threshold })`
 * and `options.membership` from `zoneMembership`. Returns a standalone SVG document.
 */
export function plotKickMap(map: ProbabilityMap, zones: readonly Zone[], options: KickMapOptions): string {
  const view = map.view;
  const { nx, ny } = map;
  const levels = Math.max(2, Math.min(256, Math.floor(options.levels ?? 32)));
  const classNames = options.classNames ?? DEFAULT_CLASS_NAMES;
  const title = options.title ?? "Kick map";
  const maxListed = options.maxListed ?? 5;
  const what = map.method === "mc-dropout" ? `${map.samples} dropout passes` : `${map.samples} networks`;
  const lowPct = Math.round(100 * map.lowQuantile);
  const palette = divergingTable(levels, HEATMAP_INTENSITY);

  const legend: LegendItem[] = [
    {
      kind: "colorbar",
      label: `P(${classNames[1]}), mean of ${what}`,
      colors: palette,
      ticks: [
        { t: 0, label: "0" },
        { t: 0.25, label: "0.25" },
        { t: 0.5, label: "0.5" },
        { t: 0.75, label: "0.75" },
        { t: 1, label: "1" },
      ],
    },
  ];
  if (options.contour ?? true) {
    legend.push({ kind: "line", label: "mean p = 0.5", color: "#1a1a1a", dash: "5 3", width: 1.4 });
  }
  legend.push({
    kind: "line",
    label: `zone edge: ${lowPct}th percentile = ${options.threshold}`,
    color: OUTLINE,
    width: 2.6,
  });
  legend.push({ kind: "swatch", label: "recommended zone (shaded)", color: ZONE_FILL });
  const box = options.pitch ? (options.pitchBox ?? FOOTBALL_VIEW) : undefined;
  const radius = options.noDataRadius ?? (box ? 8 : 0.06 * (view.xMax - view.xMin));
  if (options.data) {
    legend.push({
      kind: "swatch",
      label: `no training data within ${box ? `${radius} m` : `${Number(radius.toPrecision(2))} units`}`,
      color: "#eeeeee",
    });
  }
  if (box) legend.push({ kind: "marker", label: "goalkeeper's kick point", color: "#ffd400" });
  if (options.data) {
    legend.push({ kind: "marker", label: `${classNames[1]} (training)`, color: CLASS_COLORS[1] });
    legend.push({ kind: "marker", label: `${classNames[0]} (training)`, color: CLASS_COLORS[0] });
  }
  const listed = zones.slice(0, maxListed);
  if (listed.length > 0) {
    legend.push({ kind: "marker", color: "#ffffff", label: "aim point, numbered by rank" });
    legend.push({ kind: "heading", label: "Zones: mean [95% interval], area" });
    for (const z of listed) {
      const area =
        options.areaUnit === "m2" && z.areaSquareMetres !== undefined
          ? `${Math.round(z.areaSquareMetres).toLocaleString("en-US")} m²`
          : `${z.area.toFixed(3)} u²`;
      // A text row: a line sample in the legend's own background colour.
      legend.push({
        kind: "line",
        color: "#ffffff",
        label: `${z.rank} — ${percent(z.meanProbability)} [${percent(z.interval.low)}–${percent(z.interval.high)}], ${area}`,
      });
    }
    if (zones.length > listed.length)
      legend.push({ kind: "heading", label: `+ ${zones.length - listed.length} more` });
  } else {
    legend.push({ kind: "heading", label: "No zone reaches the threshold" });
  }

  const index = colorIndices(map.mean, nx, ny, levels);
  return planeDocument(options, view, {
    title,
    legend,
    ...(options.caption && { caption: options.caption }),
    draw: ({ layout, xs, ys }) => {
      const inner: string[] = [heatmapSvg(index, nx, ny, palette, layout.area)];
      if (options.data) {
        // Where the model has seen no example, its colour is a guess: washed out.
        const mask = noDataMask(map, options.data, radius, box);
        inner.push(
          tag(
            "g",
            { class: "no-data", opacity: 0.72 },
            heatmapSvg(mask, nx, ny, ["#eeeeee"], layout.area, "none"),
          ),
        );
      }
      if (zones.length > 0) {
        inner.push(
          tag(
            "g",
            { class: "zone-fill", opacity: 0.3 },
            heatmapSvg(zoneMask(map, options.membership), nx, ny, [ZONE_FILL], layout.area, "none"),
          ),
        );
      }
      if (options.pitch) inner.push(drawPitch(xs, ys, options.pitchBox ?? FOOTBALL_VIEW, { opacity: 0.75 }));
      const boundary =
        (options.contour ?? true) ? levelPath({ view, nx, ny, values: map.mean }, 0.5, xs, ys) : "";
      if (boundary) {
        inner.push(
          tag("path", {
            class: "boundary",
            d: boundary,
            fill: "none",
            stroke: "#1a1a1a",
            "stroke-width": 1.4,
            "stroke-dasharray": "5 3",
          }),
        );
      }
      if (options.data)
        inner.push(pointsSvg(options.data, xs, ys, { name: "train", radius: options.pointRadius ?? 2.8 }));
      const outlines =
        zones.length > 0 ? zoneOutlines(map, options.membership, options.threshold, xs, ys) : "";
      if (outlines) {
        inner.push(
          tag("g", { class: "zones", fill: "none", "stroke-linejoin": "round", "stroke-linecap": "round" }, [
            tag("path", { d: outlines, stroke: "#ffffff", "stroke-width": 5, "stroke-opacity": 0.85 }),
            tag("path", { d: outlines, stroke: OUTLINE, "stroke-width": 2.6 }),
          ]),
        );
      }
      if (box) inner.push(goalMarks(xs, ys, box));
      inner.push(
        tag(
          "g",
          { class: "zone-labels" },
          listed.map((z) => badge(xs.map(z.target.x), ys.map(z.target.y), String(z.rank))),
        ),
      );
      return inner;
    },
  });
}
