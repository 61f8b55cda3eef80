/**
 * Node side of the reports: output directories, and writing the HTML report built by
 * `src/experiments/report-html.ts` with one PNG per figure, every file atomically.
 */
import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  type BuiltReport,
  buildReport,
  bundleClassCount,
  type ComparisonRow,
  type DataBundle,
  type RegularizerClaims,
} from "../index.js";
import { svgToPng, whyNotWritable, writeFileAtomic } from "../node/index.js";
import { describeBundle } from "./data-options.js";
import { boundaryStyle } from "./figures.js";
import { UsageError } from "./runtime.js";
import { VERSION } from "./version.js";

/** Checks before any work that `dir` can be an output directory (it may not exist yet). */
export function checkOutputDir(dir: string, option: string): void {
  if (dir.trim() === "") throw new UsageError(`${option}: expected a directory name`);
  let p = resolve(dir);
  // The nearest existing ancestor must be a directory.
  while (!existsSync(p)) {
    const parent = resolve(p, "..");
    if (parent === p) break;
    p = parent;
  }
  if (!statSync(p).isDirectory()) {
    throw new UsageError(
      `${option} ${dir}: ${p === resolve(dir) ? "exists and is not a directory" : `${p} is not a directory`}`,
    );
  }
  // The folder itself, or the ancestor it will be created in, must take new files.
  const why = whyNotWritable(p);
  if (why) throw new UsageError(`${option} ${dir}: cannot write there (${why})`);
}

/** Creates the directory (and its parents) when missing. */
export async function ensureDir(dir: string, option: string): Promise<void> {
  checkOutputDir(dir, option);
  await mkdir(dir, { recursive: true });
}

/**
 * Writes the report's figures as PNGs (rendered from the same SVG as inlined in the page), then
 * `index.html` last, so a complete page only ever points at figures that exist. Returns the
 * paths written.
 */
export async function writeReport(
  dir: string,
  report: BuiltReport,
  signal?: { readonly aborted: boolean },
): Promise<string[]> {
  await ensureDir(dir, "--report");
  const written: string[] = [];
  for (const fig of report.figures) {
    const path = join(dir, `${fig.name}.png`);
    await writeFileAtomic(path, svgToPng(fig.svg), signal);
    written.push(path);
  }
  const index = join(dir, "index.html");
  await writeFileAtomic(index, report.html, signal);
  written.push(index);
  return written;
}

/** What `reglab compare --report DIR` needs to know about the run. */
export interface CompareReportContext {
  /** The options the run was given, to print the command line in the report. */
  data?: string;
  test?: string;
  dataset?: string;
  iterations?: number;
  trainSize?: number;
  testSize?: number;
  models?: readonly string[];
  cnn?: boolean;
  seeds?: number;
  /** The regularizers' claims, read with compare's learning-rate sweep. */
  regularizerClaims?: RegularizerClaims;
}

/**
 * `reglab compare --report DIR`: builds the page and its PNGs and writes them; returns the line
 * to tell the user where they are.
 */
export async function writeCompareReport(
  dir: string,
  rows: readonly ComparisonRow[],
  bundle: DataBundle,
  context: CompareReportContext = {},
  signal?: { readonly aborted: boolean },
): Promise<string> {
  const args = ["reglab compare"];
  if (context.data) args.push(`--data ${context.data}`);
  else if (context.dataset && context.dataset !== "football") args.push(`--dataset ${context.dataset}`);
  if (context.test) args.push(`--test ${context.test}`);
  if (context.trainSize) args.push(`--train-size ${context.trainSize}`);
  if (context.testSize) args.push(`--test-size ${context.testSize}`);
  if (context.iterations) args.push(`--iterations ${context.iterations}`);
  if (context.models) args.push(`--models ${context.models.join(",")}`);
  const check = args.slice(1);
  if (context.cnn) args.push("--cnn");
  if ((context.seeds ?? 1) > 1) args.push(`--seeds ${context.seeds}`);
  // (--report itself is left out: the page is where it points.)
  const report = buildReport(rows, bundle, {
    dataDescription: describeBundle(bundle),
    // A boundary picture shows P(class 1): two features and two classes only.
    boundary: bundle.train.X.rows === 2 && bundleClassCount(bundle) === 2 ? boundaryStyle(bundle) : undefined,
    command: args.join(" "),
    checkCommand: [
      "reglab check",
      // The claims section adds the dropout row's --keep-prob.
      ...check.filter((a) => !a.startsWith("--iterations") && !a.startsWith("--models")),
    ].join(" "),
    generated: new Date()
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, " UTC"),
    version: VERSION,
    ...(context.regularizerClaims && { regularizerClaims: context.regularizerClaims }),
  });
  const written = await writeReport(dir, report, signal);
  return `Wrote the report to ${join(dir, "index.html")} (${written.length - 1} PNG figures beside it)\n`;
}
