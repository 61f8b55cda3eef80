#!/usr/bin/env node
/**
 * Screenshots of an image report made by `reglab compare --report DIR` for the README, in
 * headless Chromium at 1280 px:
 *   docs/report-NAME-headline.png            the headline charts: test accuracy, accuracy curves
 *   docs/report-NAME-mcnemar.png             McNemar's table
 *   docs/report-NAME-augmentation-claim.png  the augmentation claim, measured
 *   docs/report-NAME-filters.png             what a CNN's first layer looks for (when a row is a CNN)
 * Never run by the test suite (the compare runs take minutes). Usage:
 *   node scripts/report-shots.mjs out/digits-report digits [OUT_DIR, default docs/]
 */
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PNG } from "pngjs";
import { CHROMIUM, launchChromium } from "./chromium.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [dir, name, out = join(root, "docs")] = process.argv.slice(2);
if (!dir || !name || !existsSync(join(dir, "index.html"))) {
  console.error("usage: node scripts/report-shots.mjs REPORT_DIR NAME (REPORT_DIR/index.html must exist)");
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`report-shots: no Chromium at ${CHROMIUM}`);
  process.exit(2);
}

/** Losslessly re-encoded for size (RGB, no filters, deflate 9), written under a temporary name first. */
function save(bytes, path) {
  const png = PNG.sync.write(PNG.sync.read(bytes), {
    colorType: 2,
    filterType: 0,
    deflateLevel: 9,
    deflateStrategy: 0,
  });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, png);
  renameSync(tmp, path);
  console.log(`${path}: ${(png.length / 1000).toFixed(0)} kB`);
}

const context = await launchChromium({ viewport: { width: 1280, height: 900 } });
try {
  const page = await context.newPage();
  // A cats report inlines every picture's pixels (tens of MB): give it time.
  page.setDefaultTimeout(300_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(resolve(dir, "index.html")).href, { waitUntil: "load" });
  save(await page.locator(".headline").screenshot(), join(out, `report-${name}-headline.png`));
  save(await page.locator("#mcnemar").screenshot(), join(out, `report-${name}-mcnemar.png`));
  save(
    await page.locator("#claim-augmentation").screenshot(),
    join(out, `report-${name}-augmentation-claim.png`),
  );
  // A CNN's first layer: the first such section (the first CNN row).
  const firstLayer = page.locator("section.first-layer").first();
  if ((await firstLayer.count()) > 0)
    save(await firstLayer.screenshot(), join(out, `report-${name}-filters.png`));
  if (errors.length > 0) throw new Error(errors.join("; "));
} finally {
  await context.close();
}
