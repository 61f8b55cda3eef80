/**
 * Datasets travel through Redis once per sweep, content-addressed: the key is the SHA-256 of the
 * encoded bytes, every job names that hash, and a worker checks the hash of what it fetched before
 * using it. The encoding is exact (raw little-endian float64), so a worker trains on the very
 * bits the enqueuing machine loaded.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { matrix } from "../../core/matrix.js";
import {
  type DataBundle,
  type Dataset,
  type ImageShape,
  validateDataset,
  validateFeatures,
} from "../../data/dataset.js";

/** A dataset that cannot go through the queue, or came back from it damaged. */
export class DatasetError extends Error {
  override name = "DatasetError";
}

const FORMAT = "reglab-data/1";
const SETS = ["train", "test", "dev"] as const;
/** Default cap on the encoded size; Redis itself refuses values above 512 MB. */
export const DEFAULT_MAX_DATA_BYTES = 256 * 2 ** 20;
/** Datasets expire a month after their last upload, so an idle Redis does not keep them forever. */
const DATA_TTL_SECONDS = 30 * 24 * 3600;

export const dataKey = (sha256: string) => `reglab-data:${sha256}`;

export const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

interface Header {
  format: string;
  source: string;
  synthetic?: boolean;
  /** Class names, when the data names them. */
  classes?: string[];
  /** Images keep their geometry, so a worker's transforms and checks see what the CLI saw. */
  sets: Array<{ name: (typeof SETS)[number]; rows: number; cols: number; shape?: ImageShape }>;
}

const pad8 = (n: number) => (n + 7) & ~7;

/** Bytes of the encoding, computed without building it (to check the cap first). */
function encodedSize(headerBytes: number, sets: Header["sets"]): number {
  let size = pad8(4 + headerBytes);
  for (const s of sets) size += pad8(s.rows * s.cols * 8 + s.cols);
  return size;
}

/** The bundle as bytes: a length-prefixed JSON header, then each set's X (f64 LE) and y. */
export function encodeBundle(bundle: DataBundle, maxBytes = DEFAULT_MAX_DATA_BYTES): Uint8Array {
  const present = SETS.filter((name) => bundle[name] !== undefined);
  const header: Header = {
    format: FORMAT,
    source: bundle.source,
    ...(bundle.synthetic !== undefined && { synthetic: bundle.synthetic }),
    ...(bundle.classes && { classes: [...bundle.classes] }),
    sets: present.map((name) => {
      const d = bundle[name]!;
      return { name, rows: d.X.rows, cols: d.X.cols, ...(d.shape && { shape: d.shape }) };
    }),
  };
  const head = new TextEncoder().encode(JSON.stringify(header));
  const size = encodedSize(head.length, header.sets);
  if (size > maxBytes) {
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    throw new DatasetError(
      `${bundle.source}: the dataset is ${mb(size)} encoded, above the queue's cap of ${mb(maxBytes)}`,
    );
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, head.length, true);
  out.set(head, 4);
  let at = pad8(4 + head.length);
  for (const name of present) {
    const d = bundle[name]!;
    const x = d.X.data;
    for (let i = 0; i < x.length; i++, at += 8) view.setFloat64(at, x[i], true);
    out.set(d.y, at);
    at = pad8(at + d.y.length);
  }
  return out;
}

export function decodeBundle(bytes: Uint8Array): DataBundle {
  const bad = (why: string) => new DatasetError(`the queued dataset is malformed: ${why}`);
  if (bytes.length < 4) throw bad("too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.getUint32(0, true);
  if (4 + headLength > bytes.length) throw bad("header runs past the end");
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headLength)));
  } catch {
    throw bad("header is not JSON");
  }
  if (header?.format !== FORMAT) throw bad(`format '${String(header?.format)}', expected ${FORMAT}`);
  if (typeof header.source !== "string" || !Array.isArray(header.sets)) throw bad("header fields");
  const dims = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31;
  for (const s of header.sets) {
    if (!SETS.includes(s?.name) || !dims(s.rows) || !dims(s.cols)) throw bad("a set's name or shape");
    const g = s.shape;
    if (
      g !== undefined &&
      !(dims(g?.height) && dims(g.width) && dims(g.channels) && g.height * g.width * g.channels === s.rows)
    ) {
      throw bad("an image shape");
    }
  }
  const names = header.classes;
  if (names !== undefined && !(Array.isArray(names) && names.every((c) => typeof c === "string"))) {
    throw bad("class names");
  }
  if (
    header.sets[0]?.name !== "train" ||
    new Set(header.sets.map((s) => s.name)).size !== header.sets.length
  ) {
    throw bad("set list");
  }
  if (encodedSize(headLength, header.sets) !== bytes.length) throw bad("length does not match the header");
  const sets: Partial<Record<(typeof SETS)[number], Dataset>> = {};
  let at = pad8(4 + headLength);
  for (const s of header.sets) {
    const X = matrix(s.rows, s.cols);
    for (let i = 0; i < X.data.length; i++, at += 8) X.data[i] = view.getFloat64(at, true);
    const y = bytes.slice(at, at + s.cols);
    at = pad8(at + s.cols);
    const d: Dataset = s.shape ? { X, y, shape: s.shape } : { X, y };
    // A test or dev set may hold one class (src/data/labels.ts); the training set needs two.
    (s.name === "train" ? validateDataset : validateFeatures)(d, header.source, `${s.name} set`);
    sets[s.name] = d;
  }
  return {
    source: header.source,
    train: sets.train!,
    ...(sets.test && { test: sets.test }),
    ...(sets.dev && { dev: sets.dev }),
    ...(header.synthetic !== undefined && { synthetic: header.synthetic }),
    ...(names && { classes: names }),
  };
}

/** Puts the bundle into Redis under its hash (overwriting, so a damaged copy is repaired). */
export async function uploadDataset(
  client: Redis,
  bundle: DataBundle,
  maxBytes = DEFAULT_MAX_DATA_BYTES,
): Promise<string> {
  const bytes = encodeBundle(bundle, maxBytes);
  const hash = sha256Hex(bytes);
  await client.set(
    dataKey(hash),
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    "EX",
    DATA_TTL_SECONDS,
  );
  return hash;
}

/** Fetches datasets by hash, checks them, and keeps the last few decoded. */
export class DatasetCache {
  private readonly cache = new Map<string, DataBundle>();

  constructor(
    private readonly client: Redis,
    private readonly keep = 2,
  ) {}

  async get(hash: string): Promise<DataBundle> {
    const hit = this.cache.get(hash);
    if (hit) {
      // Most recently used last.
      this.cache.delete(hash);
      this.cache.set(hash, hit);
      return hit;
    }
    const bytes = await this.client.getBuffer(dataKey(hash));
    if (!bytes)
      throw new DatasetError(`dataset ${hash.slice(0, 12)}… is not in Redis (expired or never uploaded)`);
    const actual = sha256Hex(bytes);
    if (actual !== hash) {
      throw new DatasetError(
        `dataset ${hash.slice(0, 12)}… in Redis has SHA-256 ${actual.slice(0, 12)}…: refusing damaged or substituted data`,
      );
    }
    const bundle = decodeBundle(bytes);
    this.cache.set(hash, bundle);
    while (this.cache.size > this.keep) this.cache.delete(this.cache.keys().next().value!);
    return bundle;
  }
}
