/**
 * Reads back what a chart draws, from its SVG: the title, the legend's labels, how many line
 * series (and how many of them dashed), vertical markers, dot-and-whisker rows and reference
 * lines — so a test can check that a chart draws what its title, legend and caption say.
 */

export interface ChartAudit {
  title: string;
  legend: string[];
  /** Line series with something drawn. */
  series: number;
  dashedSeries: number;
  /** Vertical marker lines (e.g. "weights kept"). */
  markers: number;
  /** Dot-and-whisker rows. */
  intervals: number;
  /** Dashed reference lines of an interval chart. */
  references: number;
  /** Pixel-grid cells (`<image class="…">`): first-layer filters, input images, activation maps. */
  filterImages: number;
  inputImages: number;
  mapImages: number;
  /** The texts of a colour bar (its ends, its 0 when marked, what it scales by). */
  scaleBar: string[];
  /** Small rings on dot-and-whisker rows: the values an estimate summarizes (e.g. one per seed). */
  samples: number;
  /** Scored points and diverged runs (crosses) of a learning-rate chart. */
  points: number;
  diverged: number;
  /** Shaded bands around line series (e.g. the seeds' min–max). */
  bands: number;
  /** Shaded "diverged" strips of a learning-rate chart. */
  strips: number;
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

/** The text of every `<g class="NAME">…</g>` without nested groups. */
function groups(svg: string, name: string): string[] {
  return [...svg.matchAll(new RegExp(`<g class="${name}"[^>]*>([\\s\\S]*?)</g>`, "g"))].map((m) => m[1]);
}

export function auditChart(svg: string): ChartAudit {
  const title = unescapeXml(/<title>([^<]*)<\/title>/.exec(svg)?.[1] ?? "");
  const legendStart = svg.indexOf('<g class="legend"');
  const legend =
    legendStart < 0
      ? []
      : [...svg.slice(legendStart).matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => unescapeXml(m[1]));
  // A series draws a line, or only crosses where every run of it diverged.
  const series = groups(svg, "series").filter((g) => /<path d="M|class="diverged"/.test(g));
  const markers = groups(svg, "markers").flatMap((g) => [...g.matchAll(/<path d="M[^"]*V/g)]);
  return {
    title,
    legend,
    series: series.length,
    dashedSeries: series.filter((g) => g.includes("stroke-dasharray")).length,
    markers: markers.length,
    intervals: (svg.match(/<g class="interval"/g) ?? []).length,
    references: (svg.match(/<path class="reference"/g) ?? []).length,
    filterImages: (svg.match(/<image class="filter"/g) ?? []).length,
    inputImages: (svg.match(/<image class="input"/g) ?? []).length,
    mapImages: (svg.match(/<image class="map"/g) ?? []).length,
    scaleBar: groups(svg, "scale-bar").flatMap((g) =>
      [...g.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => unescapeXml(m[1])),
    ),
    samples: (svg.match(/<circle class="sample"/g) ?? []).length,
    points: (svg.match(/<circle class="point"/g) ?? []).length,
    diverged: (svg.match(/<path class="diverged"/g) ?? []).length,
    bands: (svg.match(/<path class="band"/g) ?? []).length,
    strips: (svg.match(/<rect class="diverged-strip"/g) ?? []).length,
  };
}

/** Each inline figure of a report page: its SVG (nested viewports and all) and its caption, tags stripped. */
export function reportFigures(html: string): Array<{ svg: string; caption: string }> {
  return html
    .split("<figure>")
    .slice(1)
    .map((f) => {
      const body = f.slice(0, f.indexOf("<figcaption>"));
      const caption = f.slice(f.indexOf("<figcaption>") + 12, f.indexOf("</figcaption>"));
      return {
        svg: body.slice(body.indexOf("<svg "), body.lastIndexOf("</svg>") + 6),
        caption: unescapeXml(caption.replace(/<[^>]+>/g, "")),
      };
    });
}

/**
 * The checks every chart of a report must pass: one legend entry per line series (plus one for
 * diverged runs' crosses), a title that lists its models (after "—") lists as many as it draws,
 * a caption that speaks of a dashed line has one, one that counts diverged runs counts the
 * crosses drawn, a dot-and-whisker title "over N seeds" draws N rings a row (none without), a line chart
 * "over N seeds" a band around every solid line, and a caption's "shaded band" is drawn. Returns the failures, one line each (empty: all good).
 */
export function chartProblems(svg: string, caption: string): string[] {
  const a = auditChart(svg);
  const out: string[] = [];
  const where = `“${a.title}”`;
  // Crosses for diverged runs add one legend entry of their own.
  if (a.series > 0 && a.series + (a.diverged > 0 ? 1 : 0) !== a.legend.length)
    out.push(`${where}: ${a.series} series but ${a.legend.length} legend entries (${a.legend.join(", ")})`);
  if (a.title.startsWith("Σ‖W‖² during training — ")) {
    const named = a.title.split(" — ")[1].split(", ").length;
    if (named !== a.series) out.push(`${where}: names ${named} models, draws ${a.series}`);
  }
  if (/dashed/.test(caption) && a.dashedSeries + a.markers + a.references === 0)
    out.push(`${where}: the caption speaks of a dashed line, the chart has none`);
  if (/dashed vertical line marks/.test(caption) && a.markers === 0)
    out.push(`${where}: the caption speaks of a marker line, the chart has none`);
  if (/ — with and without /.test(a.title) && a.series !== 2)
    out.push(`${where}: names two arms, draws ${a.series}`);
  const runs = /(\d+) of the (\d+) runs diverged/.exec(caption);
  if (runs && (Number(runs[1]) !== a.diverged || Number(runs[2]) !== a.points + a.diverged))
    out.push(
      `${where}: the caption says ${runs[1]} of ${runs[2]} runs diverged, the chart crosses ${a.diverged} of ${a.points + a.diverged}`,
    );
  if (a.diverged > 0 && !/diverged/.test(caption))
    out.push(`${where}: draws ${a.diverged} diverged runs the caption does not mention`);
  const rings = a.samples > 0 ? 1 : 0;
  if (a.intervals > 0 && a.legend.length !== 2 + rings + a.references)
    out.push(
      `${where}: ${a.legend.length} legend entries for dot, whisker,${rings ? " rings" : ""} and ${a.references} reference lines`,
    );
  const seeds = / over (\d+) seeds/.exec(a.title);
  if (a.intervals > 0 && (seeds ? Number(seeds[1]) * a.intervals : 0) !== a.samples)
    out.push(
      `${where}: ${seeds ? `${seeds[1]} seeds on ${a.intervals} rows` : "no seeds in the title"}, but ${a.samples} rings`,
    );
  // A CNN's first layer: as many filter images as the title counts, rows × filters maps, and a
  // colour bar with the 0 the caption speaks of.
  const filters = / the (\d+) first-layer filters /.exec(a.title);
  if (filters && a.filterImages !== Number(filters[1]))
    out.push(`${where}: names ${filters[1]} filters, draws ${a.filterImages}`);
  const maps = /activation maps \(after [^)]+\) of the (\d+) filters on (\d+) \w+ images$/.exec(a.title);
  if (maps) {
    const [n, rows] = [Number(maps[1]), Number(maps[2])];
    if (a.mapImages !== n * rows || a.inputImages !== rows)
      out.push(
        `${where}: ${rows} images × ${n} filters, draws ${a.inputImages} images and ${a.mapImages} maps`,
      );
  }
  if ((filters || maps) && /(^|\s)0(?![.\d])/.test(caption) && !a.scaleBar.includes("0"))
    out.push(`${where}: the caption speaks of 0 on the scale, the colour bar does not mark it`);
  if (/ first-layer filters |activation maps \(after/.test(a.title) === (a.filterImages + a.mapImages === 0))
    out.push(`${where}: filter or map images under another title, or none under theirs`);
  // A line chart "over N seeds" draws each solid (test) line as a mean with its seeds' band.
  if (seeds && a.intervals === 0 && a.series > 0 && a.bands !== a.series - a.dashedSeries)
    out.push(
      `${where}: ${seeds[1]} seeds in the title, ${a.series - a.dashedSeries} solid lines but ${a.bands} bands`,
    );
  // The diverged strip is there exactly when a run diverged, and the caption speaks of it then.
  if (a.strips > 0 && a.diverged === 0) out.push(`${where}: draws a diverged strip with no diverged run`);
  if (/shaded strip/.test(caption) && a.strips === 0)
    out.push(`${where}: the caption speaks of a shaded strip, the chart has none`);
  if (/shaded band/.test(caption) && a.bands === 0)
    out.push(`${where}: the caption speaks of a shaded band, the chart has none`);
  return out;
}
