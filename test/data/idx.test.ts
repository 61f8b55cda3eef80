import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import { digitsBundle } from "../../src/data/digits.js";
import { parseIdx } from "../../src/data/formats/idx.js";
import { dataErrorMessage } from "../support/assertions.js";

/** An IDX file: zero, zero, type byte, rank, big-endian dims, then big-endian values. */
function idx(type: number, dims: number[], values: number[], size = 1): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + values.length * size);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = dims.length;
  for (let i = 0; i < dims.length; i++) view.setUint32(4 + 4 * i, dims[i]);
  const at = 4 + 4 * dims.length;
  values.forEach((v, i) => {
    if (size === 1) bytes[at + i] = v;
    else view.setInt16(at + 2 * i, v);
  });
  return bytes;
}

describe("parseIdx", () => {
  it("reads dimensions and bytes", () => {
    const a = parseIdx(idx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]), "a");
    expect(a.type).toBe("uint8");
    expect(a.dims).toEqual([2, 2, 3]);
    expect(Array.from(a.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
  });

  it("decodes big-endian wider types", () => {
    const a = parseIdx(idx(0x0b, [3], [-2, 300, 7], 2), "s");
    expect(Array.from(a.data)).toEqual([-2, 300, 7]);
  });

  it("gives one line for bad bytes", () => {
    expect(dataErrorMessage(() => parseIdx(new TextEncoder().encode("P5 28 28"), "x"))).toMatch(
      /^x: not an IDX file/,
    );
    expect(dataErrorMessage(() => parseIdx(Uint8Array.of(0, 0, 8, 3, 0, 0), "h"))).toMatch(
      /^h: IDX header is cut short/,
    );
    const cut = idx(0x08, [2, 2], [1, 2, 3, 4]).subarray(0, 14);
    expect(dataErrorMessage(() => parseIdx(cut, "c"))).toBe(
      "c: IDX dimensions 2×2 of uint8 need 16 bytes, the file has 14",
    );
  });
});

describe("digitsBundle", () => {
  // Six 2×2 "images" whose pixels all equal 10·label, labels 0 1 3 8 3 8.
  const labels = [0, 1, 3, 8, 3, 8];
  const images = idx(
    0x08,
    [6, 2, 2],
    labels.flatMap((l) => [10 * l, 10 * l, 10 * l, 10 * l]),
  );
  const files = {
    trainImages: parseIdx(images, "ti"),
    trainLabels: parseIdx(idx(0x08, [6], labels), "tl"),
    testImages: parseIdx(images, "si"),
    testLabels: parseIdx(idx(0x08, [6], labels), "sl"),
  };

  // Every digit once, then 3 and 8 again: a file with all ten classes.
  const ten = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 8];
  const tenImages = parseIdx(
    idx(
      0x08,
      [12, 2, 2],
      ten.flatMap((l) => [10 * l, 10 * l, 10 * l, 10 * l]),
    ),
    "ti",
  );
  const tenFiles = { ...files, trainImages: tenImages, trainLabels: parseIdx(idx(0x08, [12], ten), "tl") };

  it("without a pair keeps every image, labelled by its digit: ten classes", () => {
    const b = digitsBundle(tenFiles, {}, new RandomState(0));
    expect(Array.from(b.train.y)).toEqual(ten);
    expect(Array.from(b.test!.y)).toEqual(labels);
    expect(b.classes).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(b.source).toBe("digits 0–9 (MNIST)");
    for (let j = 0; j < 12; j++) expect(b.train.X.data[j]).toBe((10 * ten[j]) / 255);
    const sub = digitsBundle(tenFiles, { trainSize: 4, testSize: 3 }, new RandomState(0));
    expect([sub.train.X.cols, sub.test!.X.cols]).toEqual([4, 3]);
  });

  it("refuses a training file that lacks a digit, and a label byte that is not a digit", () => {
    expect(dataErrorMessage(() => digitsBundle(files, {}, new RandomState(0)))).toBe(
      "digits: training set has no image of 2, 4, 5, 6, 7 or 9; every class needs training examples",
    );
    const bad = { ...tenFiles, testLabels: parseIdx(idx(0x08, [6], [0, 1, 3, 12, 3, 8]), "sl") };
    expect(dataErrorMessage(() => digitsBundle(bad, { pair: [3, 8] }, new RandomState(0)))).toBe(
      "digits: test set: label of image 4 is 12, not a digit 0–9",
    );
  });

  it("keeps the pair's images, the first digit as 0, scaled to [0, 1]", () => {
    const b = digitsBundle(files, { pair: [3, 8] }, new RandomState(0));
    expect(b.train.shape).toEqual({ height: 2, width: 2, channels: 1 });
    expect(Array.from(b.train.y)).toEqual([0, 1, 0, 1]);
    expect(b.train.X.data[0]).toBe(30 / 255);
    expect(b.train.X.data[1]).toBe(80 / 255);
    expect(b.classes).toEqual(["3", "8"]);
  });

  it("draws the same subset for the same seed, with labels that match the pixels", () => {
    const draw = (seed: number) =>
      digitsBundle(files, { pair: [8, 3], trainSize: 2 }, new RandomState(seed)).train;
    const a = draw(5);
    expect(a.X.cols).toBe(2);
    expect(Array.from(a.X.data)).toEqual(Array.from(draw(5).X.data));
    for (let j = 0; j < 2; j++) expect(a.X.data[j]).toBe(a.y[j] === 0 ? 80 / 255 : 30 / 255);
  });

  it("names what is wrong in one line", () => {
    expect(dataErrorMessage(() => digitsBundle(tenFiles, { trainSize: 13 }, new RandomState(0)))).toBe(
      "digits: training set has 12 images; cannot take 13",
    );
    expect(dataErrorMessage(() => digitsBundle(files, { pair: [3, 3] }, new RandomState(0)))).toMatch(
      /two different digits/,
    );
    expect(
      dataErrorMessage(() => digitsBundle(files, { pair: [3, 8], trainSize: 5 }, new RandomState(0))),
    ).toBe("digits: training set has 4 images of 3 and 8; cannot take 5");
    expect(dataErrorMessage(() => digitsBundle(files, { pair: [3, 9] }, new RandomState(0)))).toBe(
      "digits: training set has no image of 9; every class needs training examples",
    );
  });
});
