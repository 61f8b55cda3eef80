import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, REPO_ROOT } from "../support/paths.js";

describe("the reglab bin", () => {
  it("runs as a program, as `npx reglab` runs it from a fresh clone (shebang, executable bit)", () => {
    const r = spawnSync(CLI, ["--version"], { encoding: "utf8" });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    // The version is package.json's, not a copy of it.
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
