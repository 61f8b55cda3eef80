/**
 * Node-only: reads an input file (data, model, positions) safely. The file is opened without
 * blocking and checked through its handle, so a FIFO, a device or a directory is refused instead
 * of hanging, and a file too big to hold is refused by its size before a byte is read.
 */
import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";

/** Largest input file read, in bytes: well under V8's longest string (about 512 MiB). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** Why an input file cannot be read, as a short phrase ("file not found", "is a directory, …"). */
export type InputProblem = (why: string) => Error;

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : e instanceof Error ? e.message : String(e);
}

/** "1.2 GiB", "600 MiB", "12 KiB": a byte count people can read. */
export function formatBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/**
 * Reads a regular file of at most `maxBytes`. Every failure is `problem(why)`: not found,
 * permission denied, a directory, not a regular file, too big.
 */
export async function readInputFile(
  path: string,
  problem: InputProblem,
  maxBytes = MAX_INPUT_BYTES,
  kind = "file",
): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = codeOf(e);
    if (code === "ENOENT" || code === "ENOTDIR") throw problem("file not found");
    if (code === "EACCES" || code === "EPERM") throw problem("permission denied");
    if (code === "EISDIR") throw problem(`is a directory, not a ${kind}`);
    throw problem(`cannot read (${code})`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw problem(`is a directory, not a ${kind}`);
    if (!info.isFile()) throw problem(`is not a regular file (a pipe, socket or device); give a ${kind}`);
    if (info.size > maxBytes) {
      throw problem(`is ${formatBytes(info.size)}; files over ${formatBytes(maxBytes)} are not read`);
    }
    try {
      return await handle.readFile();
    } catch (e) {
      throw problem(`cannot read (${codeOf(e)})`);
    }
  } finally {
    await handle.close();
  }
}
