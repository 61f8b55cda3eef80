/**
 * `npm run lint` runs dependency-cruiser with .dependency-cruiser.cjs over src/ and web/. These
 * tests plant imports in a temporary tree and show that the same command, with the same rules,
 * fails on each kind of break (a floor importing a higher one, node:* in the engine, a circle)
 * and passes on a tree whose imports all run down.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths.js";

const DEPCRUISE = resolve(REPO_ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const CONFIG = resolve(REPO_ROOT, ".dependency-cruiser.cjs");

/** A tree whose imports all run down the floors, plus `extra` files (path → source). */
function plant(extra: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "reglab-layers-"));
  const files: Record<string, string> = {
    "src/core/matrix.ts": "export const ONE = 1;\n",
    "src/data/dataset.ts": 'import { ONE } from "../core/matrix.js";\nexport const TWO = ONE + 1;\n',
    "src/plot/view.ts": 'import { TWO } from "../data/dataset.js";\nexport const VIEW = TWO;\n',
    "src/training/train.ts": 'import { ONE } from "../core/matrix.js";\nexport const fit = () => ONE;\n',
    "src/experiments/compare.ts":
      'import { VIEW } from "../plot/view.js";\nimport { fit } from "../training/train.js";\nexport const run = () => fit() + VIEW;\n',
    "src/node/load.ts":
      'import { readFileSync } from "node:fs";\nimport { TWO } from "../data/dataset.js";\nexport const load = (p: string) => readFileSync(p, "utf8").length + TWO;\n',
    "src/index.ts": 'export { run } from "./experiments/compare.js";\n',
    "src/node/index.ts": 'export { load } from "./load.js";\n',
    "src/cli/main.ts":
      'import { run } from "../index.js";\nimport { load } from "../node/index.js";\nexport const main = () => run() + load("x");\n',
    "web/main.ts":
      'import { run } from "../src/experiments/compare.js";\nexport const start = () => run();\n',
    ...extra,
  };
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  return root;
}

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/**
 * Runs the lint's dependency check (`depcruise src web`, as `npm run lint` does) in `root`: its
 * exit code and the broken rules its report names, each "error RULE: FROM → TO" (a
 * circle lists its path on the lines below).
 */
function check(root: string): { status: number | null; violations: Violation[] } {
  const run = spawnSync(process.execPath, [DEPCRUISE, "--config", CONFIG, "src", "web"], {
    cwd: root,
    encoding: "utf8",
  });
  const violations = [...run.stdout.matchAll(/^\s*error (\S+): (\S+) →[ \t]*(\S*)/gm)].map(
    ([, rule, from, to]) => ({
      rule,
      from,
      to,
    }),
  );
  return { status: run.status, violations };
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});
const tree = (extra: Record<string, string> = {}) => {
  const root = plant(extra);
  roots.push(root);
  return root;
};

describe("the layer check in npm run lint", () => {
  it("passes a tree whose imports all run down the floors", () => {
    const { status, violations } = check(tree());
    expect(violations).toEqual([]);
    expect(status).toBe(0);
  });

  it("fails on a renderer importing from experiments (the kick map's old import), even type-only", () => {
    const { status, violations } = check(
      tree({
        "src/plot/kick-map.ts":
          'import type { Zone } from "../experiments/recommend.js";\nexport const draw = (z: Zone) => z.rank;\n',
        "src/experiments/recommend.ts": "export interface Zone { rank: number }\n",
      }),
    );
    expect(status).not.toBe(0);
    expect(violations.map((v) => [v.rule, v.from, v.to])).toEqual([
      ["plot-imports-no-higher-floor", "src/plot/kick-map.ts", "src/experiments/recommend.ts"],
    ]);
  });

  it("fails on core reaching up to training and on the engine importing the CLI", () => {
    const { status, violations } = check(
      tree({
        "src/core/network.ts": 'import { fit } from "../training/train.js";\nexport const net = fit;\n',
        "src/experiments/sweep.ts": 'import { main } from "../cli/main.js";\nexport const sweep = main;\n',
      }),
    );
    expect(status).not.toBe(0);
    expect(violations.map((v) => v.rule).sort()).toEqual([
      "core-imports-no-higher-floor",
      "experiments-imports-no-higher-floor",
    ]);
  });

  it("fails on node:* in the engine or the playground, and on the playground importing src/node", () => {
    const { status, violations } = check(
      tree({
        "src/plot/png.ts": 'import { writeFileSync } from "node:fs";\nexport const save = writeFileSync;\n',
        "web/files.ts": 'import { load } from "../src/node/load.js";\nexport const open = load;\n',
      }),
    );
    expect(status).not.toBe(0);
    expect(violations.map((v) => [v.rule, v.from]).sort()).toEqual([
      ["node-builtins-only-in-node-and-cli", "src/plot/png.ts"],
      ["web-imports-no-higher-floor", "web/files.ts"],
    ]);
  });

  it("fails on the CLI reaching past the package's entry points", () => {
    const { status, violations } = check(
      tree({
        "src/cli/deep.ts":
          'import { ONE } from "../core/matrix.js";\nimport { load } from "../node/load.js";\nexport const d = () => ONE + load("y");\n',
      }),
    );
    expect(status).not.toBe(0);
    expect(violations.map((v) => [v.rule, v.to]).sort()).toEqual([
      ["cli-through-entry-points", "src/core/matrix.ts"],
      ["cli-through-entry-points", "src/node/load.ts"],
    ]);
  });

  it("fails on a circle of imports inside one floor", () => {
    const { status, violations } = check(
      tree({
        "src/core/a.ts": 'import { b } from "./b.js";\nexport const a = () => b();\n',
        "src/core/b.ts": 'import { a } from "./a.js";\nexport const b = (): number => a();\n',
      }),
    );
    expect(status).not.toBe(0);
    expect(new Set(violations.map((v) => v.rule))).toEqual(new Set(["no-circular"]));
  });
});
