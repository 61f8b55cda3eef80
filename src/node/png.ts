/**
 * SVG to PNG, for Node (the CLI's `--plot FILE.png` and reports), via resvg's prebuilt binary.
 * Text needs a font: we load DejaVu Sans from the `dejavu-fonts-ttf` package (installed with
 * reglab, so PNGs render the same on every machine), falling back to the system's copy and then
 * to whatever system fonts exist.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";

export interface PngOptions {
  /** Output width in pixels (height follows the SVG's aspect ratio); default the SVG's own width. */
  width?: number;
  /** Background behind transparent parts (a CSS colour); default none (transparent). */
  background?: string;
  /** Extra font files (.ttf/.otf) to load. */
  fontFiles?: readonly string[];
}

const FONT_NAMES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"];
const SYSTEM_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu"];

let cachedFonts: string[] | undefined;

/** The DejaVu Sans files found: the npm package's first, else the system's. */
export function dejaVuFontFiles(): string[] {
  if (cachedFonts) return cachedFonts;
  const found: string[] = [];
  const require = createRequire(import.meta.url);
  for (const name of FONT_NAMES) {
    try {
      const p = require.resolve(`dejavu-fonts-ttf/ttf/${name}`);
      if (existsSync(p)) found.push(p);
    } catch {
      // Package not installed: try the system below.
    }
  }
  if (found.length === 0) {
    for (const dir of SYSTEM_DIRS) {
      for (const name of FONT_NAMES) {
        const p = `${dir}/${name}`;
        if (existsSync(p)) found.push(p);
      }
      if (found.length > 0) break;
    }
  }
  cachedFonts = found;
  return found;
}

/** Renders an SVG document to PNG bytes. */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const files = [...dejaVuFontFiles(), ...(options.fontFiles ?? [])];
  const haveDejaVu = files.length > 0;
  const render: ResvgRenderOptions = {
    font: {
      fontFiles: files,
      // With DejaVu at hand, skip scanning the system: faster and the same output everywhere.
      loadSystemFonts: !haveDejaVu,
      defaultFontFamily: "DejaVu Sans",
      sansSerifFamily: "DejaVu Sans",
    },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: "off",
  };
  if (options.width !== undefined) {
    if (!Number.isFinite(options.width) || options.width < 1) {
      throw new RangeError(`PNG width must be a positive number, got ${options.width}`);
    }
    render.fitTo = { mode: "width", value: Math.round(options.width) };
  }
  if (options.background) render.background = options.background;
  const png = new Resvg(svg, render).render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
