/**
 * Headless Debian Chromium for the browser tests, the frame benchmark and the docs figures: one
 * list of flags for all three.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

/** Debian's Chromium, installed by .ci/run; tests skip with a reason where it is absent. */
export const CHROMIUM = "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps dialling hosts this machine cannot reach.
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Headless Chromium with a fresh profile. */
export function launchChromium(options) {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "reglab-chromium-")), {
    executablePath: CHROMIUM,
    headless: true,
    ...options,
    args: ARGS,
  });
}
