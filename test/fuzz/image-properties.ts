/**
 * Property-based checks of the image loaders (issue 11): IDX, HDF5, PNG/JPEG pictures and a
 * folder's labels.csv. As in loader-properties.ts: a valid result or the loader's own one-line
 * error, never another exception.
 */
import { existsSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { DataError, validateDataset } from "../../src/data/dataset.js";
import { parseHdf5, parseHdf5Inputs } from "../../src/data/formats/hdf5.js";
import { parseIdx } from "../../src/data/formats/idx.js";
import { parseLabelList, picturesToMatrix } from "../../src/data/formats/pictures.js";
import { decodePicture } from "../../src/node/picture-files.js";
import { CAT_TEST_H5 } from "../support/paths.js";
import { idxBytes, jpegBytes, pngBytes, rgba } from "../support/pictures.js";
import { expectCleanError, mutationsOf } from "./loader-properties.js";

function clean<T>(f: () => T, check: (value: T) => void = () => {}): void {
  let value: T;
  try {
    value = f();
  } catch (e) {
    expectCleanError(e, DataError);
    return;
  }
  check(value);
}

const IDX_FIXTURES = [
  idxBytes([3, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
  idxBytes([4], [1, 0, 9, 3]),
];

export const idxInputs = fc.oneof(fc.uint8Array({ maxLength: 64 }), mutationsOf(IDX_FIXTURES));

export function checkIdx(bytes: Uint8Array): void {
  clean(
    () => parseIdx(bytes, "fuzz-idx"),
    (a) => {
      const count = a.dims.reduce((p, d) => p * d, 1);
      if (a.data.length !== count) throw new Error(`${a.data.length} values for ${a.dims.join("×")}`);
    },
  );
}

const pixels = rgba(4, 3, (x, y, c) => (x * 60 + y * 40 + c * 25) % 256);
const PICTURE_FIXTURES = [pngBytes(4, 3, pixels), jpegBytes(4, 3, pixels)];

export const pictureInputs = fc.oneof(fc.uint8Array({ maxLength: 128 }), mutationsOf(PICTURE_FIXTURES));

export function checkPicture(bytes: Uint8Array): void {
  clean(
    () => picturesToMatrix([decodePicture(bytes, "fuzz.png")], ["fuzz.png"], "fuzz"),
    ({ X, shape }) => {
      if (X.rows !== shape.height * shape.width * shape.channels)
        throw new Error("shape and features differ");
      for (const v of X.data) if (!(v >= 0 && v <= 1)) throw new Error(`pixel value ${v}`);
    },
  );
}

const labelRows = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom("a.png", "b.jpg", "file", ""), fc.string({ maxLength: 6 })),
    fc.oneof(fc.constantFrom("0", "1", "254", "255", "cat", "", "-1", "1.5"), fc.string({ maxLength: 4 })),
  ),
  { maxLength: 8 },
);

export const labelListInputs = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc
    .tuple(labelRows, fc.constantFrom("\n", "\r\n"))
    .map(([rows, nl]) => rows.map(([f, l]) => `${f},${l}`).join(nl)),
);

export function checkLabelList(text: string): void {
  clean(
    () => parseLabelList(text, "labels.csv"),
    (l) => {
      if (l.files.length !== l.labels.length || l.files.length === 0)
        throw new Error("files and labels differ");
      if (l.classes && l.labels.some((k) => k >= l.classes!.length))
        throw new Error("label past the classes");
    },
  );
}

export const HAS_CAT_TEST = existsSync(CAT_TEST_H5);
const HDF5_FIXTURES = HAS_CAT_TEST ? [new Uint8Array(readFileSync(CAT_TEST_H5))] : [];

export const hdf5Inputs = HAS_CAT_TEST
  ? fc.oneof(fc.uint8Array({ maxLength: 256 }), mutationsOf(HDF5_FIXTURES))
  : fc.uint8Array({ maxLength: 256 });

export function checkHdf5(bytes: Uint8Array): void {
  clean(
    () => parseHdf5(bytes, "fuzz.h5"),
    (b) => validateDataset(b.train, "fuzz"),
  );
  clean(() => parseHdf5Inputs(bytes, "fuzz.h5"));
}
