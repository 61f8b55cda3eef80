/**
 * A reader for MATLAB level 5 MAT-files (the format `save -v7` and scipy.io.savemat write), from
 * the published format description. Browser-safe: compressed variables are inflated with the
 * web-standard DecompressionStream, which Node 18+ and browsers provide.
 */
import { matrix } from "../../core/matrix.js";
import { clip, quote } from "../../core/quote.js";
import { type DataBundle, DataError, encodeBundle, type RawBundle, type RawSet } from "../dataset.js";

/** One numeric variable. `data` is column-major, as MATLAB stores it, converted to double. */
export interface MatArray {
  readonly name: string;
  readonly dims: number[];
  readonly data: Float64Array;
  /** The declared class ("double", "uint8", …, or "logical"); the values came from the stored type. */
  readonly className: string;
}

// Data types of data elements.
const MI_INT8 = 1;
const MI_UINT8 = 2;
const MI_INT16 = 3;
const MI_UINT16 = 4;
const MI_INT32 = 5;
const MI_UINT32 = 6;
const MI_SINGLE = 7;
const MI_DOUBLE = 9;
const MI_INT64 = 12;
const MI_UINT64 = 13;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
const MI_UTF8 = 16;

const ELEMENT_BYTES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 2,
  5: 4,
  6: 4,
  7: 4,
  9: 8,
  12: 8,
  13: 8,
};

// Array classes 6..15 are the numeric ones; the rest (cell, struct, object, char, sparse) are skipped.
const NUMERIC_CLASSES: Record<number, string> = {
  6: "double",
  7: "single",
  8: "int8",
  9: "uint8",
  10: "int16",
  11: "uint16",
  12: "int32",
  13: "uint32",
  14: "int64",
  15: "uint64",
};
const FLAG_COMPLEX = 0x0800;
const FLAG_LOGICAL = 0x0200;

const HEADER_BYTES = 128;

/** A data element's tag, read in the file's byte order; handles the 4-byte "small" form. */
interface Element {
  readonly type: number;
  readonly size: number;
  readonly start: number; // offset of the data
  readonly next: number; // offset of the following element (data padded to 8 bytes)
}

class ByteView {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly le: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.length;
  }
  u32(at: number): number {
    return this.view.getUint32(at, this.le);
  }
  /** Reads the tag at `at`, or returns undefined when fewer than 8 bytes remain. */
  tag(at: number): Element | undefined {
    if (at + 8 > this.length) return undefined;
    const first = this.u32(at);
    // Small data element: the size sits in the upper 16 bits and the data in the next 4 bytes.
    if (first >>> 16 !== 0) return { type: first & 0xffff, size: first >>> 16, start: at + 4, next: at + 8 };
    const size = this.u32(at + 4);
    return { type: first, size, start: at + 8, next: at + 8 + Math.ceil(size / 8) * 8 };
  }
}

/** Reads every numeric variable of a level 5 MAT-file; other variables (char, cell, struct, …) are skipped. */
export async function readMat(bytes: Uint8Array, source: string): Promise<Map<string, MatArray>> {
  const le = byteOrder(bytes, source);
  const file = new ByteView(bytes, le);
  const vars = new Map<string, MatArray>();
  let at = HEADER_BYTES;
  while (at < file.length) {
    const el = file.tag(at);
    if (!el) {
      if (bytes.subarray(at).every((b) => b === 0)) break; // trailing padding
      throw new DataError(source, `truncated MAT-file: ${file.length - at} stray bytes at the end`);
    }
    const available = file.length - el.start;
    if (el.size > available) {
      const name = await peekName(bytes.subarray(el.start), el.type, le);
      const what = name === undefined ? `element at byte ${at}` : `variable ${quote(name)}`;
      throw new DataError(source, `truncated MAT-file: ${what} needs ${el.size} bytes, ${available} remain`);
    }
    const payload = bytes.subarray(el.start, el.start + el.size);
    let found: MatArray | undefined;
    if (el.type === MI_MATRIX) {
      found = readMatrix(new ByteView(payload, le), source);
    } else if (el.type === MI_COMPRESSED) {
      const inner = new ByteView(await inflate(payload, source, at, le), le);
      const innerTag = inner.tag(0);
      if (innerTag?.type === MI_MATRIX) {
        if (innerTag.start + innerTag.size > inner.length) {
          throw new DataError(
            source,
            `malformed MAT-file: compressed element at byte ${at} is shorter than it says`,
          );
        }
        found = readMatrix(
          new ByteView(inner.bytes.subarray(innerTag.start, innerTag.start + innerTag.size), le),
          source,
        );
      }
    }
    if (found) vars.set(found.name, found);
    // Compressed elements are not padded; the others are, to a multiple of 8 bytes.
    at = el.type === MI_COMPRESSED ? el.start + el.size : Math.min(el.next, file.length);
  }
  return vars;
}

/** Checks the 128-byte header and returns true for little-endian files. */
function byteOrder(bytes: Uint8Array, source: string): boolean {
  if (bytes.length < HEADER_BYTES) throw new DataError(source, "not a MAT-file (level 5 header missing)");
  // The writer stores the characters "MI" as a 16-bit value; a little-endian writer yields "IM".
  const a = String.fromCharCode(bytes[126]);
  const b = String.fromCharCode(bytes[127]);
  const le = a === "I" && b === "M";
  if (!le && !(a === "M" && b === "I"))
    throw new DataError(source, "not a MAT-file (level 5 header missing)");
  const version = new DataView(bytes.buffer, bytes.byteOffset + 124, 2).getUint16(0, le);
  if (version === 0x0200) {
    throw new DataError(
      source,
      "MATLAB v7.3 MAT-files (HDF5 based) are not supported; save with -v7 instead",
    );
  }
  return le;
}

/** Parses the body of an miMATRIX element; returns undefined for variables that are not numeric. */
function readMatrix(m: ByteView, source: string): MatArray | undefined {
  if (m.length === 0) return undefined; // an empty placeholder element
  const flagsEl = sub(m, 0, source, "array flags");
  const dimsEl = sub(m, flagsEl.next, source, "dimensions");
  const nameEl = sub(m, dimsEl.next, source, "array name");
  const flags = m.u32(flagsEl.start);
  const name = ascii(m.bytes.subarray(nameEl.start, nameEl.start + nameEl.size));
  const where = `variable ${quote(name)}`;
  if (flagsEl.type !== MI_UINT32 || flagsEl.size < 4 || dimsEl.type !== MI_INT32 || dimsEl.size < 8) {
    throw new DataError(source, `malformed MAT-file: ${where} has a bad array header`);
  }
  const dims: number[] = [];
  for (let i = 0; i < dimsEl.size / 4; i++) dims.push(m.view.getInt32(dimsEl.start + 4 * i, m.le));
  const className = NUMERIC_CLASSES[flags & 0xff];
  if (className === undefined || flags & FLAG_COMPLEX) return undefined;

  // Convert by the stored type of the real part, not the class: MATLAB stores doubles as uint8 when they fit.
  const real = sub(m, nameEl.next, source, `real part of ${where}`);
  const width = ELEMENT_BYTES[real.type];
  if (width === undefined) {
    throw new DataError(
      source,
      `malformed MAT-file: ${where} stores its values as unknown type ${real.type}`,
    );
  }
  const count = dims.reduce((p, d) => p * d, 1);
  if (real.size !== count * width) {
    const shape = dims.join("×");
    throw new DataError(
      source,
      `malformed MAT-file: ${where} is ${shape} (${count} values) but stores ${real.size / width} values`,
    );
  }
  return {
    name,
    dims,
    data: toDoubles(m, real.start, count, real.type),
    className: flags & FLAG_LOGICAL ? "logical" : className,
  };
}

/** Reads a subelement that must lie inside `m`. */
function sub(m: ByteView, at: number, source: string, what: string): Element {
  const el = m.tag(at);
  if (!el || el.start + el.size > m.length) {
    throw new DataError(source, `malformed MAT-file: ${what} runs past the end of its variable`);
  }
  return el;
}

function toDoubles(m: ByteView, start: number, count: number, type: number): Float64Array {
  const out = new Float64Array(count);
  const v = m.view;
  const le = m.le;
  const w = ELEMENT_BYTES[type];
  for (let i = 0, p = start; i < count; i++, p += w) {
    switch (type) {
      case MI_INT8:
        out[i] = v.getInt8(p);
        break;
      case MI_UINT8:
        out[i] = v.getUint8(p);
        break;
      case MI_INT16:
        out[i] = v.getInt16(p, le);
        break;
      case MI_UINT16:
        out[i] = v.getUint16(p, le);
        break;
      case MI_INT32:
        out[i] = v.getInt32(p, le);
        break;
      case MI_UINT32:
        out[i] = v.getUint32(p, le);
        break;
      case MI_SINGLE:
        out[i] = v.getFloat32(p, le);
        break;
      case MI_DOUBLE:
        out[i] = v.getFloat64(p, le);
        break;
      case MI_INT64:
        out[i] = Number(v.getBigInt64(p, le));
        break;
      case MI_UINT64:
        out[i] = Number(v.getBigUint64(p, le));
        break;
    }
  }
  return out;
}

function ascii(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) if (b !== 0) s += String.fromCharCode(b);
  return s;
}

/** Best-effort name of a cut-off variable, for the error message. */
async function peekName(rest: Uint8Array, type: number, le: boolean): Promise<string | undefined> {
  try {
    let body = new ByteView(rest, le);
    if (type === MI_COMPRESSED) {
      const inner = new ByteView(await inflate(rest, "", 0, le, { partial: true, prefix: 4096 }), le);
      const t = inner.tag(0);
      if (t?.type !== MI_MATRIX) return undefined;
      body = new ByteView(inner.bytes.subarray(t.start), le);
    } else if (type !== MI_MATRIX) {
      return undefined;
    }
    const flags = body.tag(0);
    const dims = flags && body.tag(flags.next);
    const name = dims && body.tag(dims.next);
    if (!name || (name.type !== MI_INT8 && name.type !== MI_UTF8) || name.start + name.size > body.length)
      return;
    return ascii(body.bytes.subarray(name.start, name.start + name.size));
  } catch {
    return undefined;
  }
}

// The few Web Streams members we use; declared here because the engine compiles without DOM types.
interface InflateStream {
  readonly writable: { getWriter(): { write(chunk: Uint8Array): Promise<void>; close(): Promise<void> } };
  readonly readable: {
    getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> };
  };
}
type InflateStreamClass = new (format: "deflate") => InflateStream;

/** Largest variable read from a compressed element once inflated (the size its tag declares). */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

/**
 * Inflates a compressed element, never past what it declares: the first 8 inflated bytes are the
 * inner element's tag, whose size bounds the rest, so a small element that inflates to gigabytes
 * is refused after a few kilobytes. With `prefix`, returns only (about) that many bytes, and with
 * `partial` what came out before an error instead of throwing.
 */
async function inflate(
  data: Uint8Array,
  source: string,
  at: number,
  le: boolean,
  options: { partial?: boolean; prefix?: number } = {},
): Promise<Uint8Array> {
  const Inflate = (globalThis as unknown as { DecompressionStream?: InflateStreamClass }).DecompressionStream;
  if (!Inflate)
    throw new DataError(source, "compressed MAT-files need DecompressionStream (Node 18+ or a browser)");
  const stream = new Inflate("deflate");
  const writer = stream.writable.getWriter();
  // Failures surface on the reader too, so the writer's promises are only silenced here.
  writer.write(data).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let limit = options.prefix ?? Number.POSITIVE_INFINITY;
  let declared: number | undefined;
  try {
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value) continue;
      chunks.push(value);
      total += value.length;
      if (options.prefix === undefined && declared === undefined && total >= 8) {
        declared = innerSize(join(chunks, total).subarray(0, 8), le);
        if (declared > MAX_INFLATED_BYTES) {
          throw new DataError(
            source,
            `compressed element at byte ${at} declares ${declared} bytes once inflated; variables over ${MAX_INFLATED_BYTES} bytes are not read`,
          );
        }
        // Its tag, its data, and the padding to 8 bytes that may follow.
        limit = 8 + declared + 8;
      }
    }
    if (declared !== undefined && total >= limit) {
      throw new DataError(
        source,
        `malformed MAT-file: compressed element at byte ${at} inflates to more than the ${declared} bytes it declares`,
      );
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    if (!options.partial) {
      const why = e instanceof Error ? e.message : String(e);
      throw new DataError(
        source,
        `malformed MAT-file: compressed element at byte ${at} cannot be inflated (${why})`,
      );
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  return join(chunks, total);
}

/** The size an inflated element's tag declares (8 for the small form, whose data sits in the tag). */
function innerSize(tag: Uint8Array, le: boolean): number {
  const view = new DataView(tag.buffer, tag.byteOffset, 8);
  return view.getUint32(0, le) >>> 16 !== 0 ? 0 : view.getUint32(4, le);
}

function join(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/**
 * Turns the variables of a MAT-file into a bundle: `X` (m×n_x, one row per example) and `y` (m×1
 * or 1×m) for training; `Xtest`/`ytest`, or else `Xval`/`yval`, for testing; `Xdev`/`ydev` (or
 * `Xval`/`yval` when `Xtest` is also present) for development.
 */
export function matToBundle(vars: Map<string, MatArray>, source: string): DataBundle {
  return encodeBundle(readMatSets(vars, source));
}

/** matToBundle's sets before their labels are encoded. */
export function readMatSets(vars: Map<string, MatArray>, source: string): RawBundle {
  const train = rawSet(vars, ["X", "y"], source, "training set");
  if (!train) {
    const found = [...vars.keys()].map(clip).join(", ") || "none";
    throw new DataError(source, `no numeric variables 'X' and 'y' (numeric variables found: ${found})`);
  }
  const has = (x: string, y: string) => vars.has(x) || vars.has(y);
  const testNames: Pair = has("Xtest", "ytest") ? ["Xtest", "ytest"] : ["Xval", "yval"];
  const devNames: Pair = has("Xdev", "ydev") || testNames[0] === "Xval" ? ["Xdev", "ydev"] : ["Xval", "yval"];
  const test = rawSet(vars, testNames, source, "test set", train.X.rows);
  const dev = rawSet(vars, devNames, source, "dev set", train.X.rows);
  return { source, train, ...(test && { test }), ...(dev && { dev }) };
}

type Pair = readonly [x: string, y: string];

/** One set from a pair of variables, labels as stored; undefined when neither is present. */
function rawSet(
  vars: Map<string, MatArray>,
  [xName, yName]: Pair,
  source: string,
  what: string,
  features?: number,
): RawSet | undefined {
  const x = vars.get(xName);
  const y = vars.get(yName);
  if (!x && !y) return undefined;
  if (!x || !y) {
    throw new DataError(source, `found '${x ? xName : yName}' but no numeric '${x ? yName : xName}'`);
  }
  if (x.dims.length !== 2) {
    throw new DataError(
      source,
      `'${xName}' is ${x.dims.join("×")}; expected a matrix with one row per example`,
    );
  }
  if (y.dims.length !== 2 || (y.dims[0] !== 1 && y.dims[1] !== 1)) {
    throw new DataError(source, `'${yName}' is ${y.dims.join("×")}; expected a vector (m×1 or 1×m)`);
  }
  const [m, nx] = x.dims;
  if (y.data.length !== m) {
    const hint = nx === y.data.length ? " (is it transposed? rows must be examples)" : "";
    throw new DataError(
      source,
      `'${xName}' has ${m} rows (examples) but '${yName}' has ${y.data.length} labels${hint}`,
    );
  }
  if (features !== undefined && nx !== features) {
    throw new DataError(source, `'${xName}' has ${nx} columns (features) but 'X' has ${features}`);
  }
  // Column-major m×n_x is exactly row-major n_x×m: features × examples, as the engine wants.
  return {
    X: matrix(nx, m, x.data.slice()),
    labels: y.data,
    what: `${what} (${xName}, ${yName})`,
    at: (j) => `'${yName}' value ${j + 1}`,
  };
}
