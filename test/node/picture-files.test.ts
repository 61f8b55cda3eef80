import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/data/dataset.js";
import { parseLabelList } from "../../src/data/formats/pictures.js";
import { loadDataFile } from "../../src/node/load-data.js";
import { decodePicture, loadPictureFolder } from "../../src/node/picture-files.js";
import { cli } from "../support/io.js";
import { jpegBytes, pngBytes, rgba } from "../support/pictures.js";

const root = mkdtempSync(join(tmpdir(), "reglab-pictures-"));

/** A folder of 3 × 2 pictures: the first colour picture, the rest as `pixels` gives them. */
function folder(name: string, pictures: Record<string, Uint8Array>, labels?: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, bytes] of Object.entries(pictures)) writeFileSync(join(dir, file), bytes);
  if (labels !== undefined) writeFileSync(join(dir, "labels.csv"), labels);
  return dir;
}

const colour = (seed: number) => rgba(3, 2, (x, y, c) => (seed * 37 + x * 50 + y * 90 + c * 20) % 256);
const grey = (seed: number) => rgba(3, 2, (x, y) => (seed * 11 + x * 40 + y * 100) % 256);

describe("PNG and JPEG pictures", () => {
  it("decode to RGBA; a PNG exactly, a JPEG within its compression error", () => {
    const pixels = colour(1);
    expect(decodePicture(pngBytes(3, 2, pixels), "a.png")).toEqual({ width: 3, height: 2, rgba: pixels });
    const smooth = rgba(8, 8, () => 128);
    const j = decodePicture(jpegBytes(8, 8, smooth), "a.jpg");
    expect([j.width, j.height]).toEqual([8, 8]);
    for (let i = 0; i < j.rgba.length; i++) expect(Math.abs(j.rgba[i] - smooth[i])).toBeLessThanOrEqual(2);
  });

  it("refuse other bytes, cut files and pictures over 16 megapixels with one DataError line", () => {
    expect(() => decodePicture(new TextEncoder().encode("x1,x2\n"), "a.png")).toThrow(/not a PNG or JPEG/);
    const png = pngBytes(3, 2, colour(1));
    expect(() => decodePicture(png.subarray(0, 40), "cut.png")).toThrow(DataError);
    const huge = png.slice();
    new DataView(huge.buffer).setUint32(16, 100_000);
    new DataView(huge.buffer).setUint32(20, 100_000);
    expect(() => decodePicture(huge, "huge.png")).toThrow(
      /100000×100000 pixels; pictures over 16 megapixels/,
    );
  });
});

describe("labels.csv", () => {
  it("takes numbers 0…K−1 or class names (numbered in sorted order), with or without a header", () => {
    expect(parseLabelList("a.png,1\nb.png,0\n", "l.csv")).toEqual({
      files: ["a.png", "b.png"],
      labels: Uint8Array.from([1, 0]),
    });
    expect(parseLabelList("file,label\r\na.png,dog\nb.png,cat\nc.png,dog\n", "l.csv")).toEqual({
      files: ["a.png", "b.png", "c.png"],
      labels: Uint8Array.from([1, 0, 1]),
      classes: ["cat", "dog"],
    });
  });

  it("refuses a line without two cells, a file listed twice and an empty list", () => {
    expect(() => parseLabelList("a.png\n", "l.csv")).toThrow(/line 1: expected "file,label"/);
    expect(() => parseLabelList("a.png,1\na.png,0\n", "l.csv")).toThrow(/listed twice/);
    expect(() => parseLabelList("file,label\n", "l.csv")).toThrow(/lists no pictures/);
  });
});

describe("a folder of pictures", () => {
  it("is laid out as the course's images: /255, row-major height × width × channel, one column each", async () => {
    const dir = folder(
      "rgb",
      { "a.png": pngBytes(3, 2, colour(1)), "b.png": pngBytes(3, 2, colour(2)) },
      "a.png,1\nb.png,0\n",
    );
    const set = await loadPictureFolder(dir, true);
    expect(set.shape).toEqual({ height: 2, width: 3, channels: 3 });
    expect(set.names).toEqual(["a.png", "b.png"]);
    expect(Array.from(set.labels!)).toEqual([1, 0]);
    const a = colour(1);
    // Feature (y, x, c) of example 0 is pixel (x, y)'s channel c.
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < 3; x++)
        for (let c = 0; c < 3; c++)
          expect(set.X.data[((y * 3 + x) * 3 + c) * 2]).toBe(a[4 * (y * 3 + x) + c] / 255);
  });

  it("has one channel when every picture is grey", async () => {
    const dir = folder(
      "grey",
      { "a.png": pngBytes(3, 2, grey(1)), "b.png": pngBytes(3, 2, grey(2)) },
      "a.png,0\nb.png,1\n",
    );
    const set = await loadPictureFolder(dir, true);
    expect(set.shape.channels).toBe(1);
    expect(set.X.rows).toBe(6);
  });

  it("without labels.csv lists every picture by name for prediction, and is refused for training", async () => {
    const dir = folder("unlabelled", {
      "b.png": pngBytes(3, 2, colour(2)),
      "a.jpg": jpegBytes(3, 2, colour(1)),
      "notes.txt": new Uint8Array(1),
    });
    expect((await loadPictureFolder(dir, false)).names).toEqual(["a.jpg", "b.png"]);
    await expect(loadPictureFolder(dir, true)).rejects.toThrow(/needs labels\.csv/);
  });

  it("refuses pictures of different sizes, naming both", async () => {
    const dir = folder(
      "sizes",
      {
        "a.png": pngBytes(3, 2, colour(1)),
        "b.png": pngBytes(
          2,
          2,
          rgba(2, 2, () => 9),
        ),
      },
      "a.png,0\nb.png,1\n",
    );
    await expect(loadPictureFolder(dir, true)).rejects.toThrow(/'b\.png' is 2×2 but 'a\.png' is 3×2/);
  });

  it("is a dataset for `train --data DIR` (with class names) and trains end to end", async () => {
    const files: Record<string, Uint8Array> = {};
    const lines: string[] = [];
    for (let k = 0; k < 12; k++) {
      const bright = k % 2 === 1;
      files[`p${k}.png`] = pngBytes(
        3,
        2,
        rgba(3, 2, (x, y, c) => (bright ? 200 : 40) + ((k + x + y + c) % 7)),
      );
      lines.push(`p${k}.png,${bright ? "light" : "dark"}`);
    }
    const dir = folder("train", files, `${lines.join("\n")}\n`);
    const bundle = await loadDataFile(dir);
    expect(bundle.classes).toEqual(["dark", "light"]);
    expect(bundle.train.shape).toEqual({ height: 2, width: 3, channels: 3 });
    // RGB pictures take the cat model's α = 0.0075 by default: too slow for 300 steps on 12 pictures.
    const r = await cli(
      "train",
      "--data",
      dir,
      "--layers",
      "4",
      "--learning-rate",
      "0.3",
      "--iterations",
      "300",
      "--json",
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).trainAccuracy).toBe(1);
  });

  it("a missing labels.csv or a listed picture that is missing is one line, exit 2", async () => {
    const dir = folder("broken", { "a.png": pngBytes(3, 2, colour(1)) }, "a.png,0\nmissing.png,1\n");
    const r = await cli("train", "--data", dir);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/missing\.png: file not found/);
    const noList = folder("nolist", { "a.png": pngBytes(3, 2, colour(1)) });
    const r2 = await cli("train", "--data", noList);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/needs labels\.csv/);
  });
});
