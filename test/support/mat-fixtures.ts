/**
 * Small MAT-files (level 5) made in the test, never committed: the same six training and four
 * test examples in the layouts reglab must read — plain and compressed files with char, struct and
 * cell variables beside the data (as scipy writes them), every numeric class (types.mat), and
 * hand-made files in both byte orders with small elements, mixed compression and values stored
 * narrower than declared (as MATLAB writes football.mat's y).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

/** The fixtures' data, examples as rows (as in a MAT-file). */
export const MAT_X = [
  [0.5, -1.25],
  [1.0, 2.0],
  [-0.75, 0.125],
  [3.5, -2.5],
  [0.0, 1e-3],
  [-1e5, 7.0],
];
export const MAT_Y = [1, 0, 1, 0, 0, 1];
export const MAT_XVAL = [
  [1.0, 2.0],
  [-3.0, 4.0],
  [5.0, -6.0],
  [7.0, 8.0],
];
export const MAT_YVAL = [0, 1, 1, 0];

// Data types (mi*) and array classes (mx*) of the MAT-file format.
const MI = { int8: 1, uint8: 2, int16: 3, uint16: 4, int32: 5, uint32: 6, single: 7, double: 9 } as const;
const MI_INT64 = 12;
const MI_UINT64 = 13;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
const MI_UTF8 = 16;
const MX = { cell: 1, struct: 2, char: 4, double: 6, single: 7, int8: 8, uint8: 9, int16: 10 } as const;
const MX_UINT16 = 11;
const MX_INT32 = 12;
const MX_UINT32 = 13;
const MX_INT64 = 14;
const MX_UINT64 = 15;
const FLAG_LOGICAL = 0x0200;

type Stored = keyof typeof MI | "int64" | "uint64";
const STORED: Record<Stored, [number, number]> = {
  int8: [MI.int8, 1],
  uint8: [MI.uint8, 1],
  int16: [MI.int16, 2],
  uint16: [MI.uint16, 2],
  int32: [MI.int32, 4],
  uint32: [MI.uint32, 4],
  single: [MI.single, 4],
  double: [MI.double, 8],
  int64: [MI_INT64, 8],
  uint64: [MI_UINT64, 8],
};

class Writer {
  constructor(readonly little: boolean) {}

  /** A data element; payloads of 1–4 bytes use the small format (size in the upper 16 bits). */
  element(type: number, payload: Uint8Array): Uint8Array {
    if (payload.length > 0 && payload.length <= 4) {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setUint32(0, (payload.length << 16) | type, this.little);
      out.set(payload, 4);
      return out;
    }
    const out = new Uint8Array(8 + payload.length + (-payload.length & 7));
    const view = new DataView(out.buffer);
    view.setUint32(0, type, this.little);
    view.setUint32(4, payload.length, this.little);
    out.set(payload, 8);
    return out;
  }

  numbers(stored: Stored, values: readonly number[]): Uint8Array {
    const [type, size] = STORED[stored];
    const bytes = new Uint8Array(values.length * size);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => {
      const at = i * size;
      const e = this.little;
      if (stored === "int8") view.setInt8(at, v);
      else if (stored === "uint8") view.setUint8(at, v);
      else if (stored === "int16") view.setInt16(at, v, e);
      else if (stored === "uint16") view.setUint16(at, v, e);
      else if (stored === "int32") view.setInt32(at, v, e);
      else if (stored === "uint32") view.setUint32(at, v, e);
      else if (stored === "single") view.setFloat32(at, v, e);
      else if (stored === "double") view.setFloat64(at, v, e);
      else if (stored === "int64") view.setBigInt64(at, BigInt(v), e);
      else view.setBigUint64(at, BigInt(v), e);
    });
    return this.element(type, bytes);
  }

  /** An array's header subelements: class and flags, dimensions, name. */
  head(mxClass: number, dims: readonly number[], name: string): Uint8Array[] {
    return [
      this.numbers("uint32", [mxClass, 0]),
      this.numbers("int32", dims),
      this.element(MI.int8, new TextEncoder().encode(name)),
    ];
  }

  /** A numeric matrix given by rows, stored column-major as `stored`. */
  matrix(name: string, mxClass: number, rows: readonly (readonly number[])[], stored: Stored): Uint8Array {
    const values: number[] = [];
    for (let c = 0; c < rows[0].length; c++) for (const row of rows) values.push(row[c]);
    return this.element(
      MI_MATRIX,
      concat(...this.head(mxClass, [rows.length, rows[0].length], name), this.numbers(stored, values)),
    );
  }

  char(name: string, text: string): Uint8Array {
    const codes = Array.from(text, (ch) => ch.charCodeAt(0));
    return this.element(
      MI_MATRIX,
      concat(...this.head(MX.char, [1, codes.length], name), this.numbers("uint16", codes)),
    );
  }

  /** A 1×1 struct with one double field. */
  struct(name: string, field: string, value: number): Uint8Array {
    const fieldName = new Uint8Array(32);
    fieldName.set(new TextEncoder().encode(field));
    return this.element(
      MI_MATRIX,
      concat(
        ...this.head(MX.struct, [1, 1], name),
        this.numbers("int32", [32]),
        this.element(MI.int8, fieldName),
        this.matrix("", MX.double, [[value]], "double"),
      ),
    );
  }

  /** A 1×2 cell holding a double and a string. */
  cell(name: string): Uint8Array {
    return this.element(
      MI_MATRIX,
      concat(
        ...this.head(MX.cell, [1, 2], name),
        this.matrix("", MX.double, [[1]], "double"),
        this.char("", "two"),
      ),
    );
  }

  compressed(element: Uint8Array): Uint8Array {
    const z = deflateSync(element);
    const out = new Uint8Array(8 + z.length); // compressed elements are not padded
    const view = new DataView(out.buffer);
    view.setUint32(0, MI_COMPRESSED, this.little);
    view.setUint32(4, z.length, this.little);
    out.set(z, 8);
    return out;
  }

  file(...elements: Uint8Array[]): Uint8Array {
    const header = new Uint8Array(128).fill(0x20);
    header.set(new TextEncoder().encode("MATLAB 5.0 MAT-file, Platform: reglab test fixtures"));
    header.fill(0, 116, 124);
    const view = new DataView(header.buffer);
    view.setUint16(124, 0x0100, this.little);
    view.setUint16(126, 0x4d49, this.little); // "IM" read in the file's byte order
    return concat(header, ...elements);
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const column = (values: readonly number[]) => values.map((v) => [v]);

/** The data variables as scipy writes them (yval as uint8), then char, struct and cell ones. */
function scipyStyle(w: Writer, compress: boolean): Uint8Array {
  const vars = [
    w.matrix("X", MX.double, MAT_X, "double"),
    w.matrix("y", MX.double, column(MAT_Y), "double"),
    w.matrix("Xval", MX.double, MAT_XVAL, "double"),
    w.matrix("yval", MX.uint8, column(MAT_YVAL), "uint8"),
    w.char("note", "not numeric"),
    w.struct("info", "a", 1),
    w.cell("cells"),
  ];
  return w.file(...(compress ? vars.map((v) => w.compressed(v)) : vars));
}

/** One variable per numeric class, each [[a, b]] (and a 2×3 double). */
function types(w: Writer): Uint8Array {
  const pair = (name: string, mxClass: number, stored: Stored, a: number, b: number) =>
    w.matrix(name, mxClass, [[a, b]], stored);
  const logical = w.element(
    MI_MATRIX,
    concat(
      w.numbers("uint32", [MX.uint8 | FLAG_LOGICAL, 0]),
      w.numbers("int32", [1, 2]),
      w.element(MI.int8, new TextEncoder().encode("b")),
      w.numbers("uint8", [1, 0]),
    ),
  );
  return w.file(
    pair("d", MX.double, "double", 1.5, -2.25),
    pair("s", MX.single, "single", 1.5, -2.25),
    pair("i8", MX.int8, "int8", -128, 127),
    pair("u8", MX.uint8, "uint8", 0, 255),
    pair("i16", MX.int16, "int16", -32768, 32767),
    pair("u16", MX_UINT16, "uint16", 0, 65535),
    pair("i32", MX_INT32, "int32", -(2 ** 31), 2 ** 31 - 1),
    pair("u32", MX_UINT32, "uint32", 0, 2 ** 32 - 1),
    pair("i64", MX_INT64, "int64", -(2 ** 53), 2 ** 53),
    pair("u64", MX_UINT64, "uint64", 0, 2 ** 53),
    logical,
    w.matrix(
      "m23",
      MX.double,
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      "double",
    ),
  );
}

/** Small elements, a UTF-8 char, values stored narrower than declared, some variables compressed. */
function handmade(w: Writer): Uint8Array {
  const note = w.element(
    MI_MATRIX,
    concat(...w.head(MX.char, [1, 2], "note"), w.element(MI_UTF8, new TextEncoder().encode("hi"))),
  );
  return w.file(
    w.matrix("X", MX.double, MAT_X, "double"),
    note,
    // Declared double, stored as uint8 bytes: what MATLAB itself does (football.mat's y).
    w.matrix("y", MX.double, column(MAT_Y), "uint8"),
    w.compressed(w.matrix("Xval", MX.double, MAT_XVAL, "double")),
    w.compressed(w.matrix("yval", MX.double, column(MAT_YVAL), "int16")),
  );
}

export const MAT_FIXTURES = {
  "small.mat": () => scipyStyle(new Writer(true), false),
  "small_compressed.mat": () => scipyStyle(new Writer(true), true),
  "types.mat": () => types(new Writer(true)),
  "handmade_le.mat": () => handmade(new Writer(true)),
  "handmade_be.mat": () => handmade(new Writer(false)),
} as const;

export type MatFixtureName = keyof typeof MAT_FIXTURES;

/** A fixture's bytes. */
export function matFixture(name: MatFixtureName): Uint8Array {
  return MAT_FIXTURES[name]();
}

let dir: string | undefined;

/** A fixture written to a temporary file (for loaders that take a path). */
export function matFixturePath(name: MatFixtureName): string {
  dir ??= mkdtempSync(join(tmpdir(), "reglab-mat-"));
  const path = join(dir, name);
  writeFileSync(path, matFixture(name));
  return path;
}
