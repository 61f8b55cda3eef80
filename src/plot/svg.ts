/**
 * Tiny SVG string builders. Every plot is assembled from these, so escaping and number formatting
 * happen in one place: text and attribute values are XML-escaped, numbers are written with at
 * most a few decimals (no exponents) to keep files small and diffs stable.
 */

/** The font stack every plot declares on its root element. */
export const FONT_FAMILY = "DejaVu Sans, Arial, sans-serif";

/**
 * Formats a number with at most `digits` decimals (0–4), trimming trailing zeros: 1.5, 3, -0.25.
 * Never produces exponents or "-0"; non-finite values become "0" so output stays valid SVG.
 */
export function fmt(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return "0";
  const d = Math.max(0, Math.min(4, Math.floor(digits)));
  let s = n.toFixed(d);
  if (d > 0) {
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48 /* 0 */) end--;
    if (s.charCodeAt(end - 1) === 46 /* . */) end--;
    s = s.slice(0, end);
  }
  return s === "-0" ? "0" : s;
}

/** Escapes text for use in XML content and in double-quoted attribute values. */
export function esc(s: string): string {
  let out = "";
  for (const ch of s) {
    switch (ch) {
      case "&":
        out += "&amp;";
        break;
      case "<":
        out += "&lt;";
        break;
      case ">":
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case "'":
        out += "&apos;";
        break;
      default: {
        const c = ch.codePointAt(0) ?? 0;
        // Control characters are not allowed in XML 1.0 (except tab, newline, return).
        if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) out += " ";
        else out += ch;
      }
    }
  }
  return out;
}

export type AttrValue = string | number | boolean | undefined | null;
export type Attrs = Record<string, AttrValue>;

/** Renders attributes (with a leading space each); skips undefined, null and false. */
export function attrs(a: Attrs): string {
  let out = "";
  for (const key of Object.keys(a)) {
    const v = a[key];
    if (v === undefined || v === null || v === false) continue;
    const text = v === true ? key : typeof v === "number" ? fmt(v, 2) : esc(v);
    out += ` ${key}="${text}"`;
  }
  return out;
}

/**
 * An element: `tag("rect", {x: 1})` is self-closing; pass `children` (already-built markup) to
 * get an open/close pair. Children are not escaped: build text with {@link text} or {@link esc}.
 */
export function tag(name: string, a: Attrs = {}, children?: string | readonly string[]): string {
  if (children === undefined) return `<${name}${attrs(a)}/>`;
  const inner = typeof children === "string" ? children : children.join("");
  return `<${name}${attrs(a)}>${inner}</${name}>`;
}

/** A `<text>` element whose content is escaped. */
export function text(x: number, y: number, content: string, a: Attrs = {}): string {
  return tag("text", { x, y, ...a }, esc(content));
}

/** A group, or nothing when there are no children. */
export function group(a: Attrs, children: readonly string[]): string {
  return children.length === 0 ? "" : tag("g", a, children);
}

/** A polyline path "M x y L x y …" through the points (pixel coordinates, 2 decimals). */
export function polylinePath(xs: ArrayLike<number>, ys: ArrayLike<number>, closed = false): string {
  let d = "";
  for (let i = 0; i < xs.length; i++) d += `${i === 0 ? "M" : "L"}${fmt(xs[i])} ${fmt(ys[i])}`;
  return closed && xs.length > 0 ? `${d}Z` : d;
}

/**
 * A compact polyline path: an absolute move, then relative line steps, at `digits` decimals
 * (default 1: a tenth of a pixel). Steps are taken between rounded positions, so rounding never
 * accumulates along the line.
 */
export function compactPath(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  closed = false,
  digits = 1,
): string {
  if (xs.length === 0) return "";
  const q = 10 ** digits;
  let px = Math.round(xs[0] * q);
  let py = Math.round(ys[0] * q);
  let d = `M${fmt(px / q, digits)} ${fmt(py / q, digits)}`;
  if (xs.length > 1) d += "l";
  for (let i = 1; i < xs.length; i++) {
    const nx = Math.round(xs[i] * q);
    const ny = Math.round(ys[i] * q);
    const a = fmt((nx - px) / q, digits);
    const b = fmt((ny - py) / q, digits);
    // A minus sign separates numbers by itself; otherwise a space is needed.
    d += i === 1 || a.startsWith("-") ? a : ` ${a}`;
    d += b.startsWith("-") ? b : ` ${b}`;
    px = nx;
    py = ny;
  }
  return closed ? `${d}z` : d;
}

/**
 * An ellipse (or circle) as a path of two arcs. Plots draw every non-data round shape this way,
 * so `<circle>` elements in a plot are exactly its data points.
 */
export function ellipsePath(cx: number, cy: number, rx: number, ry = rx): string {
  const r = `${fmt(rx)} ${fmt(ry)}`;
  return `M${fmt(cx - rx)} ${fmt(cy)}A${r} 0 1 0 ${fmt(cx + rx)} ${fmt(cy)}A${r} 0 1 0 ${fmt(cx - rx)} ${fmt(cy)}Z`;
}

export interface DocumentOptions {
  /** Shown as the document's `<title>` (tooltip, accessible name). */
  title?: string;
  /** Page colour behind everything; default white. */
  background?: string;
  /** Extra markup for `<defs>` (gradients, clip paths). */
  defs?: readonly string[];
}

/** A complete standalone SVG document of the given pixel size. */
export function svgDocument(
  width: number,
  height: number,
  body: readonly string[],
  options: DocumentOptions = {},
): string {
  const w = fmt(width);
  const h = fmt(height);
  const head = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"`,
    ` font-family="${esc(FONT_FAMILY)}" font-size="12" role="img"`,
    options.title ? ` aria-label="${esc(options.title)}">` : ">",
  ].join("");
  const parts = [head];
  if (options.title) parts.push(tag("title", {}, esc(options.title)));
  if (options.defs && options.defs.length > 0) parts.push(tag("defs", {}, options.defs));
  parts.push(tag("rect", { width: "100%", height: "100%", fill: options.background ?? "#ffffff" }));
  parts.push(...body);
  parts.push("</svg>\n");
  return parts.join("\n");
}

/**
 * Rough width in pixels of `s` set in DejaVu Sans at `fontSize` (no DOM to measure text here).
 * Slightly generous, so layouts made with it leave room rather than overlap.
 */
export function textWidth(s: string, fontSize: number): number {
  let em = 0;
  for (const ch of s) {
    if (ch === " ") em += 0.32;
    else if ("il.,:;'|!".includes(ch)) em += 0.3;
    else if ("fjrtI()[]".includes(ch)) em += 0.4;
    else if ("mwMW".includes(ch)) em += 0.9;
    else if (ch >= "A" && ch <= "Z") em += 0.7;
    else em += 0.62;
  }
  return em * fontSize;
}
