import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CLI } from "../support/paths.js";

describe("the reglab bin", () => {
  it("runs as a program, as `npx reglab` runs it from a fresh clone (shebang, executable bit)", () => {
    const r = spawnSync(CLI, ["--version"], { encoding: "utf8" });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
