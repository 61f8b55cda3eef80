#!/usr/bin/env node
/**
 * Regenerates the README's figures under docs/ from the CLI, on the real data:
 *   docs/boundary-none.png, docs/boundary-l2.png, docs/boundary-dropout.png  (reglab compare --report)
 *   docs/kick-map.png                                                       (reglab recommend --out)
 *   docs/report.png   (the report in headless Chromium: the browser test with REGLAB_UPDATE_DOCS=1)
 * Usage: node scripts/docs-figures.mjs [path/to/football.mat]   (default ../shared/datasets/football.mat)
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const data = relative(root, resolve(process.argv[2] ?? join(root, "../shared/datasets/football.mat")));
const docs = join(root, "docs");
const MAX_BYTES = 200_000;

if (!existsSync(join(root, data))) {
  console.error(`docs-figures: ${data} not found (pass the path to football.mat)`);
  process.exit(2);
}
const run = (cmd, args, env = {}) =>
  execFileSync(cmd, args, {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...env },
  });

run("npm", ["run", "--silent", "build"]);
mkdirSync(docs, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), "reglab-docs-"));
try {
  const reglab = (...args) => run(process.execPath, ["dist/cli/main.js", ...args]);
  reglab("compare", "--data", data, "--report", join(tmp, "report"), "--quiet");
  for (const [from, to] of [
    ["boundary-none.png", "boundary-none.png"],
    ["boundary-l2.png", "boundary-l2.png"],
    ["boundary-dropout-fixed.png", "boundary-dropout.png"],
  ]) {
    copyFileSync(join(tmp, "report", from), join(docs, to));
  }
  reglab("recommend", "--data", data, "--out", join(tmp, "kick"), "--quiet");
  copyFileSync(join(tmp, "kick", "kick-map.png"), join(docs, "kick-map.png"));
  run("npx", ["vitest", "run", "test/browser/report.test.ts"], { REGLAB_UPDATE_DOCS: "1" });
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
]) {
  const size = statSync(join(docs, name)).size;
  const limit = name === "report.png" ? 300_000 : MAX_BYTES;
  console.log(
    `docs/${name}: ${(size / 1000).toFixed(0)} kB${size > limit ? ` — over ${limit / 1000} kB` : ""}`,
  );
  if (size > limit) tooBig = true;
}
process.exit(tooBig ? 1 : 0);
