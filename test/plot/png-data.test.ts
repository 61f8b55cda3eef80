import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { CSS } from "../../src/experiments/report-template.js";
import { svgToPng } from "../../src/node/index.js";
import { plotImageGrid } from "../../src/plot/index.js";
import { base64, encodePng } from "../../src/plot/png-data.js";

const decode = (bytes: Uint8Array) => PNG.sync.read(Buffer.from(bytes));

describe("encodePng (stored deflate, no zlib)", () => {
  it("round-trips RGB and greyscale pixels through a standard decoder", () => {
    const rgb = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256);
    const a = decode(encodePng(5, 3, 3, rgb));
    expect([a.width, a.height]).toEqual([5, 3]);
    for (let p = 0; p < 15; p++) {
      expect([a.data[4 * p], a.data[4 * p + 1], a.data[4 * p + 2], a.data[4 * p + 3]]).toEqual([
        rgb[3 * p],
        rgb[3 * p + 1],
        rgb[3 * p + 2],
        255,
      ]);
    }
    const grey = Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 11) % 256);
    const b = decode(encodePng(28, 28, 1, grey));
    for (let p = 0; p < grey.length; p++) expect(b.data[4 * p]).toBe(grey[p]);
  });

  it("splits data past 65 535 bytes into several stored blocks", () => {
    // 200×120 RGB: 72 120 bytes of scanlines, two blocks.
    const big = Uint8Array.from({ length: 200 * 120 * 3 }, (_, i) => (i * 7 + (i >> 9)) % 256);
    const d = decode(encodePng(200, 120, 3, big));
    let same = true;
    for (let p = 0; p < 200 * 120; p++)
      for (let c = 0; c < 3; c++) same &&= d.data[4 * p + c] === big[3 * p + c];
    expect(same).toBe(true);
  });

  it("refuses a size that does not match the pixels", () => {
    expect(() => encodePng(2, 2, 3, new Uint8Array(11))).toThrow("2×2×3 pixels expected, got 11 values");
    expect(() => encodePng(0, 2, 1, new Uint8Array(0))).toThrow("positive integer size");
  });

  it("writes base64 as the standard alphabet with padding", () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253]);
    for (let n = 0; n <= bytes.length; n++)
      expect(base64(bytes.subarray(0, n))).toBe(Buffer.from(bytes.subarray(0, n)).toString("base64"));
  });
});

describe("plotImageGrid embeds each picture as a PNG", () => {
  // A 2×2 RGB image: red, green / blue, grey 0.5; drawn at 40 px per image pixel.
  const img = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.5);
  const shape = { height: 2, width: 2, channels: 3 };
  const svg = plotImageGrid([[img]], shape, { scale: 40 });

  it("holds the image's pixels, one <image> per picture, no per-pixel rects", () => {
    const uris = [...svg.matchAll(/href="data:image\/png;base64,([^"]+)"/g)].map((m) => m[1]);
    expect(uris).toHaveLength(1);
    expect(svg).not.toContain("<rect x=");
    const d = PNG.sync.read(Buffer.from(uris[0], "base64"));
    expect(Array.from(d.data)).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 128, 128, 128, 255]);
    expect(svg).toMatch(/<image x="6" y="6" width="80" height="80" image-rendering="optimizeSpeed"/);
  });

  it("is drawn pixelated in the report too (browsers ignore the SVG attribute, resvg the CSS)", () => {
    expect(CSS).toMatch(/figure svg image \{ image-rendering: pixelated; \}/);
  });

  it("renders with square pixels: each 40-px block is one colour, edges included", () => {
    const page = PNG.sync.read(Buffer.from(svgToPng(svg)));
    const at = (x: number, y: number) => {
      const i = 4 * (y * page.width + x);
      return [page.data[i], page.data[i + 1], page.data[i + 2]];
    };
    // The image spans 6…86 on both axes; sample next to the block edges, where smoothing would blend.
    expect(at(44, 7)).toEqual([255, 0, 0]);
    expect(at(47, 44)).toEqual([0, 255, 0]);
    expect(at(7, 47)).toEqual([0, 0, 255]);
    expect(at(47, 47)).toEqual([128, 128, 128]);
  });
});
