import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { svgToPng } from "../../src/node/png.js";
import { base64, encodePng, pngDataUri } from "../../src/plot/png-data-uri.js";

describe("PNG data URIs", () => {
  it("encodes grey and RGB pixels that a PNG decoder reads back exactly", () => {
    const grey = Uint8Array.from({ length: 5 * 3 }, (_, i) => (i * 37) % 256);
    const g = PNG.sync.read(Buffer.from(encodePng(grey, 5, 3, 1)));
    expect([g.width, g.height]).toEqual([5, 3]);
    for (let i = 0; i < 15; i++)
      expect([...g.data.subarray(4 * i, 4 * i + 4)]).toEqual([grey[i], grey[i], grey[i], 255]);
    // More than one stored block (65 535 bytes each).
    const w = 200;
    const h = 120;
    const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7919) % 251);
    const c = PNG.sync.read(Buffer.from(encodePng(rgb, w, h, 3)));
    for (let i = 0; i < w * h; i++)
      expect([...c.data.subarray(4 * i, 4 * i + 3)]).toEqual([...rgb.subarray(3 * i, 3 * i + 3)]);
  });

  it("writes base64 as the standard alphabet with padding", () => {
    const enc = (s: string) => base64(new TextEncoder().encode(s));
    expect([enc(""), enc("f"), enc("fo"), enc("foo"), enc("foob"), enc("fooba"), enc("foobar")]).toEqual([
      "",
      "Zg==",
      "Zm8=",
      "Zm9v",
      "Zm9vYg==",
      "Zm9vYmE=",
      "Zm9vYmFy",
    ]);
  });

  it("refuses sizes that do not match the pixels", () => {
    expect(() => encodePng(new Uint8Array(5), 2, 2, 1)).toThrow(/expected 4 bytes/);
    expect(() => encodePng(new Uint8Array(0), 0, 1, 1)).toThrow(/whole size/);
  });

  it("renders inside an SVG (resvg) with one crisp block per pixel", () => {
    const uri = pngDataUri(Uint8Array.from([0, 255, 255, 0]), 2, 2, 1);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><image x="0" y="0" width="40" height="40" preserveAspectRatio="none" image-rendering="optimizeSpeed" href="${uri}"/></svg>`;
    const png = PNG.sync.read(Buffer.from(svgToPng(svg)));
    const at = (x: number, y: number) => png.data[4 * (y * png.width + x)];
    expect([at(2, 2), at(17, 17), at(22, 2), at(37, 17), at(2, 22), at(22, 22), at(37, 37)]).toEqual([
      0, 0, 255, 255, 255, 0, 0,
    ]);
    expect(png.data[4 * (19 * png.width + 19) + 3]).toBe(255);
    expect(at(19, 5)).toBe(0);
    expect(at(20, 5)).toBe(255);
  });
});
