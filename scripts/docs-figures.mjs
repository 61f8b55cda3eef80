#!/usr/bin/env node
/**
 * Regenerates the README's figures under docs/ from the built CLI and playground, on the real data:
 *   docs/boundary-none.png, docs/boundary-l2.png, docs/boundary-dropout.png  (reglab compare --report)
 *   docs/kick-map.png                                                       (reglab recommend --out)
 *   docs/weight-norms.png                                                   (reglab compare --report)
 *   docs/lambda-sweep.png    the λ validation curves, over-smoothing shaded  (reglab sweep --plot)
 *   docs/report.png          the report's first screen in headless Chromium
 *   docs/report-claims.png   the report's "what the article claims, measured" section
 *   docs/playground-{none,l2,dropout}.png   the playground's football preset, trained to the end
 * Never run by the test suite. Usage: npm run docs:figures [-- path/to/football.mat]
 * (default ../shared/datasets/football.mat); needs /usr/bin/chromium for the screenshots.
 */
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PNG } from "pngjs";
import { CHROMIUM, launchChromium } from "./chromium.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const data = relative(root, resolve(process.argv[2] ?? join(root, "../shared/datasets/football.mat")));
const docs = join(root, "docs");
const LIMITS = {
  "report.png": 300_000,
  "report-claims.png": 300_000,
  "playground-": 300_000,
  default: 200_000,
};

if (!existsSync(join(root, data))) {
  console.error(`docs-figures: ${data} not found (pass the path to football.mat)`);
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`docs-figures: no Chromium at ${CHROMIUM} (the screenshots need it)`);
  process.exit(2);
}
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });

/** Writes to a temporary name, then renames: a failed run never leaves half a PNG in docs/. */
function writePng(bytes, path) {
  const tmpPath = `${path}.tmp-${process.pid}`;
  writeFileSync(tmpPath, bytes);
  renameSync(tmpPath, path);
}

/**
 * Saves a screenshot losslessly re-encoded for size: RGB, no row filters, deflate level 9 (flat UI
 * colours compress about a sixth better than Chromium's own encoding).
 */
function savePng(png, path) {
  const image = PNG.sync.read(png);
  writePng(PNG.sync.write(image, { colorType: 2, filterType: 0, deflateLevel: 9, deflateStrategy: 0 }), path);
}

/** The report's summary (title, table, the all-models cost chart and its notes) at 1280 px. */
async function reportShot(context, reportDir) {
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(reportDir, "index.html")).href, { waitUntil: "load" });
  const bottom = await page.evaluate(
    `document.querySelector("section.summary").getBoundingClientRect().bottom`,
  );
  const shot = await page.screenshot({
    fullPage: true,
    clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) + 24 },
  });
  writePng(shot, join(docs, "report.png"));
  // The claims section: the weight norms and one sentence per claim of the article.
  const claims = await page.$("#claims");
  if (claims) savePng(await claims.screenshot(), join(docs, "report-claims.png"));
  await page.close();
}

/** The playground's football preset under each regularization, trained to the last iteration. */
async function playgroundShots(context, url) {
  for (const [name, extra] of [
    ["none", ""],
    ["l2", "&lambda=0.7"],
    ["dropout", "&keep=0.86,0.86"],
  ]) {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${url}#data=football&stop=1${extra}`);
    await page.waitForSelector("body[data-ready=true]");
    await page.click("#play");
    await page.waitForFunction(() => document.body.dataset.state === "done", null, { timeout: 300_000 });
    await page.waitForFunction(() => Number(document.body.dataset.iteration) >= 30_000);
    await page.mouse.move(0, 0);
    savePng(await page.screenshot({ animations: "disabled" }), join(docs, `playground-${name}.png`));
    if (errors.length > 0) throw new Error(`playground ${name}: ${errors.join("; ")}`);
    await page.close();
  }
}

run("npm", ["run", "--silent", "build"]);
run("npm", ["run", "--silent", "build:web"]);
const { startStaticServer } = await import(pathToFileURL(join(root, "dist/node/static-server.js")).href);
mkdirSync(docs, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), "reglab-docs-"));
try {
  const reglab = (...args) => run(process.execPath, ["dist/cli/main.js", ...args]);
  reglab("compare", "--data", data, "--report", join(tmp, "report"), "--quiet");
  for (const [from, to] of [
    ["boundary-none.png", "boundary-none.png"],
    ["boundary-l2.png", "boundary-l2.png"],
    ["boundary-dropout-fixed.png", "boundary-dropout.png"],
    ["weight-norms.png", "weight-norms.png"],
  ]) {
    copyFileSync(join(tmp, "report", from), join(docs, to));
  }
  reglab("recommend", "--data", data, "--out", join(tmp, "kick"), "--quiet");
  // The λ sweep of the README's claims table, its over-smoothed region shaded.
  reglab(
    "sweep",
    "--data",
    data,
    "--lambda",
    "0,0.01,0.03,0.1,0.3,0.7,1,3,10",
    "--seeds",
    "3",
    "--plot",
    join(docs, "lambda-sweep.png"),
    "--quiet",
  );
  copyFileSync(join(tmp, "kick", "kick-map.png"), join(docs, "kick-map.png"));

  const server = await startStaticServer({ root: join(root, "web/dist") });
  const context = await launchChromium({ viewport: { width: 1280, height: 900 } });
  try {
    await reportShot(context, join(tmp, "report"));
    await playgroundShots(context, server.url);
  } finally {
    await context.close();
    await server.close();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

let tooBig = false;
for (const name of [
  "boundary-none.png",
  "boundary-l2.png",
  "boundary-dropout.png",
  "kick-map.png",
  "report.png",
  "report-claims.png",
  "weight-norms.png",
  "lambda-sweep.png",
  "playground-none.png",
  "playground-l2.png",
  "playground-dropout.png",
]) {
  const size = statSync(join(docs, name)).size;
  const limit = name.startsWith("playground-") ? LIMITS["playground-"] : (LIMITS[name] ?? LIMITS.default);
  console.log(
    `docs/${name}: ${(size / 1000).toFixed(0)} kB${size > limit ? ` — over ${limit / 1000} kB` : ""}`,
  );
  if (size > limit) tooBig = true;
}
process.exit(tooBig ? 1 : 0);
