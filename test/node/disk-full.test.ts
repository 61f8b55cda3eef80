import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DiskFullError, writeFileAtomic, writeFileAtomicSync } from "../../src/node/atomic-write.js";
import { cli } from "../support/io.js";

// A write that fails as a full disk's does, after part of the data went out: set `inject.code`.
const inject = vi.hoisted(() => ({ code: undefined as "ENOSPC" | "EDQUOT" | undefined }));
function failure(): Error {
  const code = inject.code!;
  return Object.assign(new Error(`${code}: no space left on device, write`), { code, syscall: "write" });
}
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const open: typeof real.open = async (...args) => {
    const handle = await real.open(...args);
    if (inject.code === undefined) return handle;
    const writeFile = async (data: Uint8Array) => {
      await handle.write(data.subarray(0, 10));
      throw failure();
    };
    return new Proxy(handle, {
      get: (t, k) => (k === "writeFile" ? writeFile : (Reflect.get(t, k)?.bind?.(t) ?? Reflect.get(t, k))),
    });
  };
  return { ...real, open, default: { ...real, open } };
});
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const writeSync = ((fd: number, ...rest: unknown[]) => {
    if (inject.code !== undefined) throw failure();
    return (real.writeSync as (...a: unknown[]) => number)(fd, ...rest);
  }) as typeof real.writeSync;
  return { ...real, writeSync, default: { ...real, writeSync } };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "reglab-full-"));
});
afterEach(() => {
  inject.code = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe("a disk that fills during a write (injected failure)", () => {
  it("is a DiskFullError naming the file, the old file intact, no temporary file left", async () => {
    const p = join(dir, "model.json");
    writeFileSync(p, "previous");
    for (const code of ["ENOSPC", "EDQUOT"] as const) {
      inject.code = code;
      const reason = code === "ENOSPC" ? "no space left on the device" : "disk quota exceeded";
      await expect(writeFileAtomic(p, "x".repeat(1000))).rejects.toThrow(new DiskFullError(p, code).message);
      await expect(writeFileAtomic(p, "new")).rejects.toThrow(`cannot write ${p}: ${reason}`);
      expect(() => writeFileAtomicSync(p, "new")).toThrow(DiskFullError);
      expect(readFileSync(p, "utf8")).toBe("previous");
      expect(readdirSync(dir)).toEqual(["model.json"]);
    }
  });

  it("ends `reglab train --save` with exit code 2 and one line, the previous model intact", async () => {
    const p = join(dir, "model.json");
    writeFileSync(p, "previous");
    inject.code = "ENOSPC";
    const r = await cli("train", "--dataset", "moons", "--iterations", "10", "--quiet", "--save", p);
    expect(r.code, r.err).toBe(2);
    expect(r.err.trim().split("\n")).toEqual([
      `reglab: cannot write ${p}: no space left on the device (a file already there is left as it was)`,
    ]);
    expect(readFileSync(p, "utf8")).toBe("previous");
    expect(readdirSync(dir)).toEqual(["model.json"]);
  });
});

// A real full disk: a 64 KiB tmpfs, where this machine lets us mount one (root in a container
// that allows mounts); skipped otherwise, the injected failures above standing in.
const mountPoint = mkdtempSync(join(tmpdir(), "reglab-tmpfs-"));
const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint]).status === 0;
afterAll(() => {
  if (mounted) spawnSync("umount", [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)(
  `a real full disk (64 KiB tmpfs)${mounted ? "" : " — skipped: cannot mount a tmpfs here (needs root and mount rights)"}`,
  () => {
    /** Fills what is left of the tmpfs with `fill`, so that any further data fails with ENOSPC. */
    function fillUp(): void {
      const chunk = new Uint8Array(4096);
      for (let k = 0; k < 64; k++) {
        try {
          writeFileSync(join(mountPoint, `fill-${k}`), chunk);
        } catch {
          return;
        }
      }
    }
    afterEach(() => {
      for (const f of readdirSync(mountPoint)) rmSync(join(mountPoint, f), { force: true });
    });

    it("a write larger than the disk: DiskFullError, the old file intact, no debris", async () => {
      const p = join(mountPoint, "plot.svg");
      writeFileSync(p, "previous");
      await expect(writeFileAtomic(p, new Uint8Array(200_000))).rejects.toThrow(DiskFullError);
      expect(() => writeFileAtomicSync(p, new Uint8Array(200_000))).toThrow(DiskFullError);
      expect(readFileSync(p, "utf8")).toBe("previous");
      expect(readdirSync(mountPoint)).toEqual(["plot.svg"]);
    });

    it("`reglab train --save` on a disk that is full after the pre-check: exit 2, one line", async () => {
      const p = join(mountPoint, "model.json");
      writeFileSync(p, "previous");
      fillUp();
      const r = await cli("train", "--dataset", "moons", "--iterations", "10", "--quiet", "--save", p);
      expect(r.code, r.err).toBe(2);
      expect(r.err.trim().split("\n")).toEqual([
        `reglab: cannot write ${p}: no space left on the device (a file already there is left as it was)`,
      ]);
      expect(readFileSync(p, "utf8")).toBe("previous");
      expect(readdirSync(mountPoint).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    });
  },
);
