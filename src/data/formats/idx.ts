/**
 * IDX files, the format MNIST ships in: two zero bytes, a type byte, the number of dimensions,
 * then each dimension as a big-endian uint32, then the values big-endian in row-major order.
 */
import { DataError } from "../dataset.js";

/** The element types IDX defines, by type byte: [name, bytes per value]. */
const TYPES: Record<number, readonly [string, number]> = {
  8: ["uint8", 1],
  9: ["int8", 1],
  11: ["int16", 2],
  12: ["int32", 4],
  13: ["float32", 4],
  14: ["float64", 8],
};

export interface IdxArray {
  readonly type: string;
  readonly dims: readonly number[];
  /** The values in file order; uint8 files give a view of the bytes, other types a decoded copy. */
  readonly data: Uint8Array | Float64Array;
}

export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || TYPES[bytes[2]] === undefined) {
    throw new DataError(source, "not an IDX file (expected two zero bytes and a type byte 0x08–0x0e)");
  }
  const [type, size] = TYPES[bytes[2]];
  const rank = bytes[3];
  const header = 4 + 4 * rank;
  if (rank === 0 || bytes.length < header) {
    throw new DataError(source, `IDX header is cut short (${rank} dimensions, ${bytes.length} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < rank; d++) {
    dims.push(view.getUint32(4 + 4 * d));
    count *= dims[d];
  }
  const expected = header + count * size;
  if (bytes.length !== expected) {
    throw new DataError(
      source,
      `IDX dimensions ${dims.join("×")} of ${type} need ${expected} bytes, the file has ${bytes.length}`,
    );
  }
  if (type === "uint8") return { type, dims, data: bytes.subarray(header) };
  const data = new Float64Array(count);
  for (let i = 0, at = header; i < count; i++, at += size) {
    if (type === "int8") data[i] = view.getInt8(at);
    else if (type === "int16") data[i] = view.getInt16(at);
    else if (type === "int32") data[i] = view.getInt32(at);
    else if (type === "float32") data[i] = view.getFloat32(at);
    else data[i] = view.getFloat64(at);
  }
  return { type, dims, data };
}
