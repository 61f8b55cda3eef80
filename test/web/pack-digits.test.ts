import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain build script, no types
import { greyPng4 } from "../../scripts/pack-digits.mjs";

describe("the digits sprite packer", () => {
  it("writes a 4-bit greyscale PNG that decodes to each pixel rounded to 16 levels", () => {
    const width = 37;
    const height = 5;
    const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i * 53 + (i >> 3) * 7) % 256);
    const png = PNG.sync.read(greyPng4(pixels, width, height));
    expect([png.width, png.height]).toEqual([width, height]);
    for (let i = 0; i < pixels.length; i++) {
      expect(png.data[4 * i]).toBe(Math.round(pixels[i] / 17) * 17);
      expect(Math.abs(png.data[4 * i] - pixels[i])).toBeLessThanOrEqual(8);
    }
  });
});
