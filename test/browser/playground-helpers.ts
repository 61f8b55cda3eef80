/** Helpers for the playground's browser tests: Chromium, the built app, downloads, the CLI. */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { CHROMIUM, launchChromium } from "../../scripts/chromium.mjs";
import { CLI, REPO_ROOT } from "../support/paths.js";

export const WEB_DIST = join(REPO_ROOT, "web/dist");

/** Why the browser tests cannot run here, or "" when they can. */
export function browserSkipReason(): string {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (CI installs it)`;
  if (!existsSync(join(WEB_DIST, "index.html"))) return "web/dist is not built (npm run build:web)";
  if (!existsSync(CLI)) return "dist/cli is not built (npm run build)";
  return "";
}

export function launch(): Promise<BrowserContext> {
  return launchChromium({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
}

export interface OpenPage {
  page: Page;
  /** Console errors and uncaught exceptions since the page opened. */
  errors: string[];
}

/** Opens the app at `hash` and waits until it has drawn its first snapshot. */
export async function openApp(context: BrowserContext, url: string, hash = ""): Promise<OpenPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${url}${hash}`);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForFunction(() => document.querySelector("#accuracy tbody") !== null);
  return { page, errors };
}

export async function waitForState(page: Page, state: "playing" | "paused" | "done", timeout = 60_000) {
  await page.waitForFunction((s) => document.body.dataset.state === s, state, { timeout });
}

/** Waits until the page has drawn iteration ≥ n. */
export async function waitForIteration(page: Page, n: number, timeout = 60_000) {
  await page.waitForFunction((k) => Number(document.body.dataset.iteration) >= k, n, { timeout });
}

/** Clicks a download button and returns what it saved. */
export async function download(page: Page, selector: string): Promise<{ name: string; text: string }> {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), text: readFileSync(path, "utf8") };
}

/** The (iteration, cost) rows of an exported history CSV. */
export function costsOf(csv: string): { iterations: number[]; costs: number[] } {
  const [head, ...rows] = csv.trim().split("\n");
  const cols = head.split(",");
  const it = cols.indexOf("iteration");
  const c = cols.indexOf("cost");
  const out = { iterations: [] as number[], costs: [] as number[] };
  for (const row of rows) {
    const cells = row.split(",");
    if (cells[c] === "") continue;
    out.iterations.push(Number(cells[it]));
    out.costs.push(Number(cells[c]));
  }
  return out;
}

/** Runs the built CLI and parses its one JSON object. */
export function cliJson(args: string[]): Record<string, unknown> & { costs: number[] } {
  const out = execFileSync(process.execPath, [CLI, ...args, "--json"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out);
}

/** A cheap fingerprint of a canvas's pixels. */
export async function canvasPixels(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (c) => (c as unknown as PageElement).toDataURL());
}

/** Draws a stroke through `points` (fractions of the pad) with pointer events, as a pen would. */
export async function stroke(page: Page, points: Array<[number, number]>) {
  await page.evaluate((pts) => {
    const pad = document.querySelector("canvas[data-role=draw]") as unknown as PageElement & {
      dispatchEvent(e: unknown): boolean;
    };
    const r = pad.getBoundingClientRect();
    const at = ([fx, fy]: [number, number], type: string) =>
      new (globalThis as unknown as { PointerEvent: new (t: string, o: object) => unknown }).PointerEvent(
        type,
        {
          bubbles: true,
          pointerId: 7,
          pointerType: "pen",
          isPrimary: true,
          buttons: type === "pointerup" ? 0 : 1,
          clientX: r.left + fx * r.width,
          clientY: r.top + fy * r.height,
        },
      );
    pad.dispatchEvent(at(pts[0], "pointerdown"));
    for (const p of pts.slice(1)) pad.dispatchEvent(at(p, "pointermove"));
    pad.dispatchEvent(at(pts[pts.length - 1], "pointerup"));
  }, points);
}
