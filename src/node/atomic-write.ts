/**
 * Writes a file so that readers see either the old content or the complete new content, never a
 * partial file: the data goes to a temporary file in the same directory (same file system), is
 * flushed to disk, then renamed over the target. On failure the temporary file is removed and
 * the target is left as it was; a disk that fills up (or a quota reached) on the way is a
 * DiskFullError, which the CLI reports in one line with exit code 2 (it is the machine's state,
 * not a bug).
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Interrupted } from "../core/pace.js";

/** Writing `path` ran out of space (ENOSPC) or quota (EDQUOT); the target is as it was. */
export class DiskFullError extends Error {
  override name = "DiskFullError";
  constructor(
    readonly path: string,
    readonly code: "ENOSPC" | "EDQUOT",
  ) {
    super(
      `cannot write ${path}: ${code === "EDQUOT" ? "disk quota exceeded" : "no space left on the device"}` +
        " (a file already there is left as it was)",
    );
  }
}

/** The DiskFullError for an error of a full disk or quota, else the error itself. */
function diskFull(path: string, e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT" ? new DiskFullError(path, code) : e;
}

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? new TextEncoder().encode(data) : data;
}

/**
 * Atomically replaces `path` with `data` (strings are written as UTF-8). Once `signal` is aborted
 * (Ctrl-C while writing) the file is not put in place: Interrupted, the target left as it was.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  signal?: { readonly aborted: boolean },
): Promise<void> {
  const tmp = tempPathFor(path);
  let written = false;
  try {
    const handle = await open(tmp, "wx", 0o644);
    try {
      await handle.writeFile(bytesOf(data));
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (signal?.aborted)
      throw new Interrupted(
        `interrupted while writing ${path}`,
        "it was not written (files written before it are complete)",
      );
    await rename(tmp, path);
    written = true;
  } catch (e) {
    throw diskFull(path, e);
  } finally {
    if (!written) await rm(tmp, { force: true });
  }
}

/** The synchronous form of {@link writeFileAtomic}. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  let written = false;
  try {
    const fd = openSync(tmp, "wx", 0o644);
    try {
      const bytes = bytesOf(data);
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    written = true;
  } catch (e) {
    throw diskFull(path, e);
  } finally {
    if (!written) rmSync(tmp, { force: true });
  }
}
