/**
 * Node-only: whether a folder takes new files, found by doing what an atomic write will do —
 * create a temporary file there, then remove it. Checking permissions instead would miss
 * read-only mounts, full disks and pseudo file systems such as /proc.
 */
import { randomBytes } from "node:crypto";
import { closeSync, openSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DiskFullError } from "./atomic-write.js";

/** Undefined when `dir` takes a new file; else why not, in a few words ("read-only file system"). */
export function whyNotWritable(dir: string): string | undefined {
  const probe = join(dir, `.reglab-write-check.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    closeSync(openSync(probe, "wx", 0o600));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return REASONS[String(code)] ?? `cannot create a file there (${String(code ?? e)})`;
  } finally {
    rmSync(probe, { force: true });
  }
  return undefined;
}

const REASONS: Readonly<Record<string, string>> = {
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOENT: "cannot create files there",
  ENOTDIR: "not a directory",
};

/**
 * Whether `e` is a disk that filled up (or a quota reached) after the check above passed: a
 * DiskFullError from an atomic write, or any file-system error with code ENOSPC or EDQUOT (a
 * folder being made, say). The CLI ends such a run with one line and exit code 2.
 */
export function isDiskFull(e: unknown): boolean {
  if (e instanceof DiskFullError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}
