/**
 * Opens the HTML report of `reglab compare --report` in headless Chromium: it must render with no
 * console errors and no network requests, every inline figure must lay out at a readable size,
 * and nothing may overflow sideways; the top of the page screenshots at its full size. (The README's
 * copy, docs/report.png, is made by scripts/docs-figures.mjs, never by a test.)
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { CHROMIUM, launchChromium } from "../../scripts/chromium.mjs";
import { cli } from "../support/io.js";
import { FOOTBALL_MAT, HAS_FOOTBALL, REPO_ROOT } from "../support/paths.js";

const HAS_CHROMIUM = existsSync(CHROMIUM);
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's violations on the page as it is laid out now, as "rule: target" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = (await page.evaluate("axe.run(document)")) as {
    violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }>;
  };
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
}
const skipReason = !HAS_CHROMIUM
  ? `no Chromium at ${CHROMIUM} (CI installs it)`
  : !HAS_FOOTBALL
    ? "football.mat not found in ../shared/datasets"
    : "";

describe.skipIf(skipReason !== "")(
  `the report in Chromium${skipReason ? ` — skipped: ${skipReason}` : ""}`,
  () => {
    it("renders with no console errors or requests, readable figures, no sideways overflow; screenshot", async () => {
      const base = mkdtempSync(join(tmpdir(), "reglab-browser-report-"));
      const dir = join(base, "report");
      // The data path as a user in the repository would type it.
      const data = process.cwd() === REPO_ROOT ? relative(REPO_ROOT, FOOTBALL_MAT) : FOOTBALL_MAT;
      const r = await cli("compare", "--data", data, "--report", dir, "--quiet");
      expect(r.code, r.err).toBe(0);
      const url = pathToFileURL(join(dir, "index.html")).href;

      const context = await launchChromium({ viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        page.on("console", (m) => {
          if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
        });
        page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
        page.on("requestfailed", (q) => errors.push(`request failed: ${q.url()}`));
        page.on("request", (q) => requests.push(q.url()));
        await page.goto(url, { waitUntil: "load" });

        // Layout, measured in the page (a string, so this file needs no DOM types).
        const layout = (await page.evaluate(`(() => {
        const figs = [...document.querySelectorAll("svg.figure")].map((s) => {
          const b = s.getBoundingClientRect();
          return { w: b.width, h: b.height, label: s.getAttribute("aria-label") };
        });
        return {
          figs,
          rows: document.querySelectorAll("table.results tbody tr").length,
          models: document.querySelectorAll("section.model").length,
          scrollWidth: document.documentElement.scrollWidth,
          title: document.title,
        };
      })()`)) as {
          figs: Array<{ w: number; h: number; label: string }>;
          rows: number;
          models: number;
          scrollWidth: number;
          title: string;
        };
        expect(errors).toEqual([]);
        expect(requests).toEqual([url]);
        expect(layout.title).toBe("reglab — regularization compared");
        expect(layout.rows).toBeGreaterThanOrEqual(4);
        expect(layout.figs).toHaveLength(2 + 2 * layout.models);
        for (const f of layout.figs) {
          expect(f.w, f.label).toBeGreaterThan(380);
          expect(f.h, f.label).toBeGreaterThan(250);
        }
        // Boundary and cost curve side by side render at the same height.
        const [boundary, cost] = layout.figs.slice(2, 4);
        expect(Math.abs(boundary.h - cost.h)).toBeLessThan(2);
        expect(layout.scrollWidth).toBeLessThanOrEqual(1280);

        // The top of the page, down to the end of the summary: title, table, the all-models cost chart and its notes.
        const SHOT_HEIGHT =
          Math.ceil(
            (await page.evaluate(
              `document.querySelector("section.summary").getBoundingClientRect().bottom`,
            )) as number,
          ) + 24;
        const shot = join(base, "report.png");
        await page.screenshot({
          path: shot,
          fullPage: true,
          clip: { x: 0, y: 0, width: 1280, height: SHOT_HEIGHT },
        });
        const png = PNG.sync.read(readFileSync(shot));
        expect([png.width, png.height]).toEqual([1280, SHOT_HEIGHT]);
        expect(statSync(shot).size).toBeLessThan(300_000);

        expect(await axeViolations(page)).toEqual([]);

        // On a phone the page never scrolls sideways: the table and each figure scroll inside
        // their own focusable box, and chart text stays readable (≥ 8 px as drawn).
        await page.setViewportSize({ width: 390, height: 844 });
        const phone = (await page.evaluate(`(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          boxes: [...document.querySelectorAll(".table-wrap, .figure-scroll")].map((b) => ({
            w: b.getBoundingClientRect().width,
            tab: b.getAttribute("tabindex"),
            label: b.getAttribute("aria-label"),
          })),
          text: [...document.querySelectorAll("svg.figure")].map((s) =>
            s.getBoundingClientRect().width / Number(s.getAttribute("width")) * 11),
        }))()`)) as {
          scrollWidth: number;
          boxes: Array<{ w: number; tab: string | null; label: string | null }>;
          text: number[];
        };
        expect(phone.scrollWidth).toBeLessThanOrEqual(390);
        for (const b of phone.boxes) {
          expect(b.w).toBeLessThanOrEqual(390);
          expect(b.tab).toBe("0");
          expect(b.label).toBeTruthy();
        }
        expect(Math.min(...phone.text)).toBeGreaterThanOrEqual(8);
        expect(await axeViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  },
);
