import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditChart, chartProblems, reportFigures } from "../plot/chart-audit.js";
import { parseXml } from "../plot/xml.js";
import { cli } from "../support/io.js";

// The digits CNN set on a tiny run: the section's machinery, not what the filters learn.
const dir = mkdtempSync(join(tmpdir(), "reglab-report-filters-"));
const report = join(dir, "report");
let html = "";
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  const r = await cli(
    "compare",
    "--cnn",
    "--dataset",
    "digits",
    "--train-size",
    "100",
    "--test-size",
    "100",
    "--iterations",
    "5",
    "--report",
    report,
    "--quiet",
  );
  expect(r.code, r.err).toBe(0);
  html = readFileSync(join(report, "index.html"), "utf8");
}, 300_000);

/** The HTML of one model's first-layer section. */
function section(key: string): string {
  const at = html.indexOf(`<section class="first-layer" id="first-layer-${key}">`);
  return at < 0 ? "" : html.slice(at, html.indexOf("</section>", at));
}

describe("the report's first-layer section (compare --cnn on digits)", () => {
  it("follows each CNN's section, not the dense net's", () => {
    expect(section("dense")).toBe("");
    for (const key of ["cnn", "cnn-distort"]) {
      const s = section(key);
      expect(s).toContain("<h2>What the first layer looks for — CNN");
      // After the model's own section.
      expect(html.indexOf(`id="first-layer-${key}"`)).toBeGreaterThan(html.indexOf(`id="model-${key}"`));
    }
  });

  it("draws the 8 filters of conv:8:5 and their maps on the same 4 test images, one per class", () => {
    const rowsOf = (s: string) => {
      const maps = reportFigures(s)[1];
      return [...maps.svg.matchAll(/<text [^>]*>(#\d+: \d)<\/text>/g)].map((m) => m[1]);
    };
    for (const key of ["cnn", "cnn-distort"]) {
      const [filters, maps] = reportFigures(section(key)).map((f) => auditChart(f.svg));
      expect(filters.title).toMatch(/ — the 8 first-layer filters \(5 × 5 × 1 weights each\)$/);
      expect(filters.filterImages).toBe(8);
      expect(filters.scaleBar).toEqual(["−max|w|", "+max|w|", "0", "per filter"]);
      expect(maps.title).toMatch(/ — activation maps \(after ReLU\) of the 8 filters on 4 test images$/);
      expect([maps.inputImages, maps.mapImages]).toEqual([4, 32]);
      expect(maps.scaleBar).toEqual(["0", "max", "per filter (column)"]);
    }
    // The first test image of classes 0, 1, 2, 3, for both models.
    const rows = rowsOf(section("cnn"));
    expect(rows.map((r) => r.slice(-1))).toEqual(["0", "1", "2", "3"]);
    expect(rowsOf(section("cnn-distort"))).toEqual(rows);
  });

  it("says what is drawn, and every chart of the page passes the audit", () => {
    const [filters, maps] = reportFigures(section("cnn"));
    expect(filters.caption).toMatch(/The 8 filters of the first layer, conv:8:5:1:valid, as trained/);
    expect(filters.caption).toMatch(/blue positive, brown negative, the neutral middle 0/);
    expect(maps.caption).toMatch(/^Rows: 4 test images, the first of each class in class order/);
    expect(maps.caption).toMatch(
      /each filter's 24 × 24 output after ReLU, black at 0 to white at its largest/,
    );
    const figures = reportFigures(html);
    expect(figures.flatMap((f) => chartProblems(f.svg, f.caption))).toEqual([]);
    for (const f of figures) expect(parseXml(f.svg).root).toBe("svg");
  });

  it("embeds small PNGs and writes the figures as PNG files", () => {
    // 8 filters and 4 × (1 + 8) images in PNG data URIs: tens of kB, not MB.
    expect(section("cnn").length).toBeLessThan(80_000);
    for (const name of ["filters-cnn", "activations-cnn", "filters-cnn-distort", "activations-cnn-distort"]) {
      const path = join(report, `${name}.png`);
      expect(existsSync(path)).toBe(true);
      expect(statSync(path).size).toBeGreaterThan(1000);
    }
    // The PNG shows the maps: not one flat colour where the grid is.
    const png = PNG.sync.read(readFileSync(join(report, "activations-cnn.png")));
    const seen = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4)
      seen.add(png.data[i] * 65536 + png.data[i + 1] * 256 + png.data[i + 2]);
    expect(seen.size).toBeGreaterThan(50);
  });
});
