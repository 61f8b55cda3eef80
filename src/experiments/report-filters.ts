/**
 * The report's "What the first layer looks for" section, for a model whose network starts with a
 * convolution: its filters as small images and their activation maps on a few fixed test images
 * (the first of each class), read off the trained network the compare already has.
 */
import { specText } from "../core/layers/spec.js";
import { bundleClassCount, type DataBundle } from "../data/dataset.js";
import { filterPixels, imagePixels, mapPixels, type PixelCell, plotPixelGrid } from "../plot/filter-grid.js";
import type { ComparisonRow } from "./compare.js";
import { activationMaps, exampleImages, filterWeights, firstConv } from "./first-layer.js";
import { classNamesOf } from "./report-images.js";
import { esc, figureHtml, type ReportFigure, svgSize } from "./report-template.js";

/** Test images whose activation maps are drawn. */
export const MAP_IMAGES = 4;

/** Filters per row of the filter figure. */
const FILTERS_PER_ROW = 8;

const num = (v: number) =>
  v === 0 ? "0" : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(2);

function column(X: { rows: number; cols: number; data: Float64Array }, j: number): Float64Array {
  const x = new Float64Array(X.rows);
  for (let f = 0; f < X.rows; f++) x[f] = X.data[f * X.cols + j];
  return x;
}

/**
 * The section (HTML) for row `r`, or "" when its network does not start with a convolution on
 * image data; pushes its two figures onto `figures`.
 */
export function firstLayerSection(r: ComparisonRow, data: DataBundle, figures: ReportFigure[]): string {
  const conv = firstConv(r.result.network);
  const shape = data.train.shape;
  if (!conv || !shape) return "";
  const key = r.model.key;
  const { size: f, filters: n } = conv;
  const cin = conv.input.channels;
  const rgb = cin === 3;

  // The filters, each on its own scale.
  const filterCells: PixelCell[][] = [];
  for (let o = 0; o < n; o++) {
    const { pixels, scale } = filterPixels(filterWeights(conv, o), f, cin);
    if (o % FILTERS_PER_ROW === 0) filterCells.push([]);
    filterCells.at(-1)!.push({ pixels, kind: "filter", label: `${o + 1}: ±${num(scale)}` });
  }
  const fTitle = `${r.model.name} — the ${n} first-layer filters (${f} × ${f} × ${cin} weights each)`;
  const filterSvg = plotPixelGrid(filterCells, {
    title: fTitle,
    cell: 64,
    bar: rgb
      ? { kind: "rgb", low: "−max|w|", mid: "0", high: "+max|w|", caption: "per channel, per filter" }
      : { kind: "diverging", low: "−max|w|", mid: "0", high: "+max|w|", caption: "per filter" },
  });
  figures.push({ name: `filters-${key}`, title: fTitle, svg: filterSvg });

  // Their activation maps on the same few images for every model.
  const fromTest = data.test !== undefined && data.test.X.cols > 0;
  const set = fromTest ? data.test! : data.train;
  const picked = exampleImages(set, MAP_IMAGES);
  const names = classNamesOf(data, bundleClassCount(data));
  const images = picked.map((j) => column(set.X, j));
  const maps = images.map((x) => activationMaps(conv, x));
  const { height: Ho, width: Wo } = maps[0] ?? { height: 0, width: 0 };
  // Maps with negative values (tanh, leaky ReLU, linear) go on a diverging scale around 0.
  const signed = maps.some((m) => m.maps.some((map) => map.some((v) => v < 0)));
  // One scale per filter (column): its largest |activation| on these images.
  const scales = Array.from({ length: n }, (_, o) => {
    let s = 0;
    for (const m of maps) for (const v of m.maps[o]) s = Math.max(s, Math.abs(v));
    return s;
  });
  const mapCells = images.map((x, i) => [
    { pixels: imagePixels(x, shape.width, shape.height, shape.channels), kind: "input" as const },
    ...maps[i].maps.map((m, o) => ({
      pixels: mapPixels(m, Wo, Ho, scales[o], signed),
      kind: "map" as const,
    })),
  ]);
  const where = fromTest ? "test" : "training";
  const act = conv.activation === "relu" ? "ReLU" : conv.activation;
  const mTitle = `${r.model.name} — activation maps (after ${act}) of the ${n} filters on ${picked.length} ${where} images`;
  const mapSvg = plotPixelGrid(mapCells, {
    title: mTitle,
    cell: Math.max(48, Math.min(72, 3 * Math.max(Ho, Wo))),
    columns: [["image"], ...scales.map((s, o) => [`filter ${o + 1}`, s === 0 ? "all 0" : `max ${num(s)}`])],
    rows: picked.map((j) => `#${j + 1}: ${names[set.y[j]]}`),
    bar: signed
      ? { kind: "diverging", low: "−max", mid: "0", high: "+max", caption: "per filter (column)" }
      : { kind: "grey", low: "0", high: "max", caption: "per filter (column)" },
  });
  figures.push({ name: `activations-${key}`, title: mTitle, svg: mapSvg });

  const colours = rgb
    ? "each filter's red, green and blue weights as a colour, scaled by its own largest |w| (printed under it): mid-grey is 0, a bright channel a positive weight, a dark one a negative weight"
    : `each weight on the diverging scale of its own filter's largest |w| (printed under it): blue positive, brown negative, the neutral middle 0 (marked on the bar)${cin > 1 ? `, averaged over the ${cin} input channels` : ""}`;
  const filterCaption = `The ${n} filters of the first layer, ${esc(specText({ type: "conv", filters: n, size: f, stride: conv.stride, padding: conv.padding }))}, as trained (the first seed's run): ${colours}. PNG: <code>filters-${esc(key)}.png</code>`;
  const mapCaption = `Rows: ${picked.length} ${where} images, the first of each class in class order (the same for every model), numbered in ${where}-set order, the image itself on the left. Columns: each filter's ${Ho} × ${Wo} output after ${esc(act)}, ${
    signed
      ? "on a diverging scale of ±its largest |activation| on these images (brown negative, neutral 0, blue positive)"
      : "black at 0 to white at its largest activation on these images (printed above it; “all 0” is a filter these images never switch on)"
  }. PNG: <code>activations-${esc(key)}.png</code>`;
  const fw = svgSize(filterSvg)?.width ?? 1;
  const mw = svgSize(mapSvg)?.width ?? 1;
  return `<section class="first-layer" id="first-layer-${esc(key)}">
<h2>What the first layer looks for — ${esc(r.model.name)}</h2>
<p class="note">A first-layer filter is a small pattern of weights slid over the image; its map is bright where the patch under it matches the pattern (positive weights on bright pixels, negative ones on dark), so the maps show which parts of each image each filter responds to.</p>
<div class="figures" style="--left: ${Math.round(fw)}fr; --right: ${Math.round(mw)}fr">${figureHtml(filterSvg, filterCaption)}
${figureHtml(mapSvg, mapCaption)}</div>
</section>`;
}
