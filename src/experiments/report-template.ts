/**
 * The report page's frame: its style sheet, escaping, and how SVG figures sit in the page. No
 * numbers are read here; report-html.ts fills the frame.
 */

/** One figure of the report: inlined in the page and also written as a PNG. */
export interface ReportFigure {
  /** File stem: "boundary-none", "cost-l2", "costs". */
  name: string;
  title: string;
  svg: string;
}

export const CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5a5a5f; --rule: #dedee3; --accent: #2166ac; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f6f8; color: var(--ink); font: 15px/1.55 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Arial, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 28px 32px 40px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 22px; padding-bottom: 12px; }
h1 { font-size: 26px; margin: 0 0 6px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 0 0 10px; }
h3 { font-size: 14px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 16px 0 6px; }
.lead { font-size: 16px; margin: 4px 0 10px; max-width: 980px; }
.meta { color: var(--muted); font-size: 13.5px; margin: 2px 0; }
code { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; background: #ececf0; padding: 1px 5px; border-radius: 4px; }
section { background: #fff; border: 1px solid var(--rule); border-radius: 10px; padding: 20px 24px; margin: 0 0 22px; }
table.results { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.results th, table.results td { padding: 7px 10px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
table.results th:first-child, table.results td:first-child { text-align: left; }
table.results th { font-size: 13px; color: var(--muted); font-weight: 600; border-bottom: 2px solid #c9c9cf; }
table.results td.best { font-weight: 700; color: var(--accent); }
table.results tr.baseline td { color: var(--muted); font-style: italic; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 8px; vertical-align: -1px; }
.note { color: var(--muted); font-size: 13.5px; margin: 10px 0 0; }
.figures { display: grid; grid-template-columns: minmax(0, var(--left, 1.1fr)) minmax(0, var(--right, 1fr)); gap: 16px; align-items: start; }
.table-wrap { overflow-x: auto; }
.table-wrap:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.figures.single { grid-template-columns: minmax(0, 1fr); }
figure { margin: 0; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 6px; background: #fff; }
figure svg image { image-rendering: pixelated; }
figcaption { font-size: 12.5px; color: var(--muted); margin-top: 4px; }
.overview { display: grid; grid-template-columns: minmax(0, 824fr) minmax(0, 420fr); gap: 24px; align-items: start; margin-top: 14px; }
.overview .note { margin: 0 0 10px; }
.text { display: grid; grid-template-columns: minmax(0, 2fr) minmax(260px, 1fr); gap: 24px; margin-top: 6px; }
.text p { margin: 0 0 10px; }
dl.config { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; font-size: 13.5px; }
dl.config dt { color: var(--muted); }
dl.config dd { margin: 0; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 12.5px; text-align: center; }
.claims { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; align-items: start; }
.claims ol { margin: 0; padding-left: 20px; }
.claims li { margin: 0 0 10px; }
.claims blockquote { margin: 0 0 2px; color: var(--muted); font-style: italic; font-size: 13.5px; }
.verdict { font-weight: 700; }
.verdict.held { color: #1a7f37; }
.verdict.failed { color: #b3261e; }
.verdict.partly { color: #8a5a00; }
.verdict.none { color: var(--muted); font-weight: 400; }
.headline { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; align-items: start; margin: 18px 0 6px; }
table.mcnemar { margin-top: 4px; }
table.mcnemar th:nth-child(2), table.mcnemar td:nth-child(2) { text-align: left; }
table.mcnemar tr.significant td { background: #f3f8f3; }
@media (max-width: 900px) { .figures, .text, .overview, .claims, .headline { grid-template-columns: minmax(0, 1fr); } main { padding: 16px; } }
@media (max-width: 600px) { main { padding: 8px; } section { padding: 14px 12px; } table.results th, table.results td { padding: 6px 6px; font-size: 13px; } figure svg { width: 100%; } .figure-scroll { overflow-x: auto; } .figure-scroll svg { min-width: calc(var(--w, 560px) * 0.85); } }
`;

/** Escapes text for HTML content and double-quoted attributes (apostrophes stay readable). */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Width and height attributes of an SVG document's root. */
export function svgSize(svg: string): { width: number; height: number } | undefined {
  const m = /^<svg[^>]*?\swidth="([\d.]+)"\s+height="([\d.]+)"/.exec(svg.trim());
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}

/** Grid columns in proportion to the last two figures' widths, so they render at one scale. */
export function columns(figures: readonly ReportFigure[], two: boolean): string {
  if (!two || figures.length < 2) return "";
  const a = svgSize(figures[figures.length - 2].svg);
  const b = svgSize(figures[figures.length - 1].svg);
  if (!a || !b) return "";
  return ` style="--left: ${Math.round(a.width)}fr; --right: ${Math.round(b.width)}fr"`;
}

/**
 * An SVG document ready to sit inside the page (its <title> and aria-label come from the plot),
 * in a box that scrolls sideways on a phone rather than shrinking its text below reading size.
 */
export function inlineSvg(svg: string): string {
  const size = svgSize(svg);
  const label = /aria-label="([^"]*)"/.exec(svg)?.[1] ?? "figure";
  // Focusable, because on a phone it scrolls (a scrollable region must take the keyboard).
  return `<div class="figure-scroll" tabindex="0" role="group" aria-label="${label} (scrolls sideways on a narrow screen)"${size ? ` style="--w: ${Math.round(size.width)}px"` : ""}>${svg.trim().replace(/^<svg /, '<svg class="figure" ')}</div>`;
}

/** A figure with its caption. */
export function figureHtml(svg: string, caption: string): string {
  return `<figure>${inlineSvg(svg)}<figcaption>${caption}</figcaption></figure>`;
}

export interface PageParts {
  title: string;
  lead: string;
  meta: readonly string[];
  /** The results section's table, its overview figure and notes (HTML). */
  table: string;
  /** Figures that answer the page's question first (images: test accuracy and its curves). */
  headline?: string;
  /** McNemar's table as a whole <section>, after the results (HTML). */
  mcnemar?: string;
  overview: string;
  notes: string;
  /** Whole <section>s (HTML). */
  claims: string;
  models: readonly string[];
  version?: string;
}

/** The whole page. */
export function page(p: PageParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${esc(p.title)}</h1>
<p class="lead">${esc(p.lead)}</p>
${p.meta.map((l) => `<p class="meta">${l}</p>`).join("\n")}
</header>
<section class="summary">
<h2>Results</h2>
<div class="table-wrap" tabindex="0" role="region" aria-label="Results table (scrolls sideways)">${p.table}</div>
${p.headline ? `<div class="headline">\n${p.headline}\n</div>` : ""}
<div class="overview">
${p.overview}
<div>
<h3>Reading the numbers</h3>
${p.notes}
</div>
</div>
</section>
${p.mcnemar ?? ""}
${p.claims}
${p.models.join("\n")}
<footer>reglab${p.version ? ` ${esc(p.version)}` : ""} — one self-contained page: inline SVG, no scripts, no network. Each figure is also saved as a PNG beside this file.</footer>
</main>
</body>
</html>
`;
}
