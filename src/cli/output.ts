import { existsSync, statSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { svgToPng, whyNotWritable, writeFileAtomic } from "../node/index.js";
import { UsageError } from "./runtime.js";

/**
 * Checks before any work starts that an output path can be written with the given extensions —
 * by creating and removing a file in its folder — so a long run never ends in "cannot write".
 */
export function checkOutputPath(path: string, option: string, extensions: readonly string[]): void {
  const ext = extname(path).toLowerCase();
  if (!extensions.includes(ext)) {
    throw new UsageError(`${option} ${path}: expected a ${extensions.join(" or ")} file name`);
  }
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`${option} ${path}: directory ${dirname(path)} does not exist`);
  }
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UsageError(`${option} ${path}: is a directory`);
  const why = whyNotWritable(dir);
  if (why) throw new UsageError(`${option} ${path}: cannot write there (${why})`);
}

/** Writes an SVG string as .svg, or rendered as .png, atomically (not at all once `signal` is aborted). */
export async function writeFigure(
  path: string,
  svg: string,
  signal?: { readonly aborted: boolean },
): Promise<void> {
  const png = extname(path).toLowerCase() === ".png";
  await writeFileAtomic(path, png ? svgToPng(svg) : svg, signal);
}
