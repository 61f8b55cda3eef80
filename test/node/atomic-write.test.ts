import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic, writeFileAtomicSync } from "../../src/node/atomic-write.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "reglab-atomic-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("writeFileAtomic", () => {
  it("writes strings and bytes, replacing an existing file, leaving no temporary files", async () => {
    const p = join(dir, "plot.svg");
    writeFileSync(p, "old");
    await writeFileAtomic(p, "<svg/>");
    expect(readFileSync(p, "utf8")).toBe("<svg/>");
    await writeFileAtomic(p, new Uint8Array([1, 2, 3]));
    expect(Array.from(readFileSync(p))).toEqual([1, 2, 3]);
    writeFileAtomicSync(p, "sync λ");
    expect(readFileSync(p, "utf8")).toBe("sync λ");
    expect(readdirSync(dir)).toEqual(["plot.svg"]);
  });

  it("fails without touching the target or leaving debris when the directory is missing", async () => {
    const p = join(dir, "missing", "plot.svg");
    await expect(writeFileAtomic(p, "x")).rejects.toThrow(/ENOENT/);
    expect(() => writeFileAtomicSync(p, "x")).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("removes its temporary file when the rename fails, keeping the old target", async () => {
    // Renaming a file over a non-empty directory fails.
    const target = join(dir, "out");
    mkdirSync(target);
    writeFileSync(join(target, "keep.txt"), "keep");
    await expect(writeFileAtomic(target, "data")).rejects.toThrow();
    expect(() => writeFileAtomicSync(target, "data")).toThrow();
    expect(readdirSync(dir)).toEqual(["out"]);
    expect(readFileSync(join(target, "keep.txt"), "utf8")).toBe("keep");
  });
});
