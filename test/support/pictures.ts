/** Small PNG, JPEG and IDX files made in the test (never committed), for the image loaders. */
import jpeg from "jpeg-js";
import pngjs from "pngjs";

/** RGBA bytes of a width × height picture whose pixel (x, y) has channel values f(x, y, c). */
export function rgba(
  width: number,
  height: number,
  f: (x: number, y: number, c: number) => number,
): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) out[4 * (y * width + x) + c] = f(x, y, c);
      out[4 * (y * width + x) + 3] = 255;
    }
  }
  return out;
}

export function pngBytes(width: number, height: number, pixels: Uint8Array): Uint8Array {
  const png = new pngjs.PNG({ width, height });
  png.data = Buffer.from(pixels);
  return new Uint8Array(pngjs.PNG.sync.write(png));
}

export function jpegBytes(width: number, height: number, pixels: Uint8Array, quality = 95): Uint8Array {
  return new Uint8Array(jpeg.encode({ width, height, data: Buffer.from(pixels) }, quality).data);
}

/** An IDX file of bytes with the given dimensions (MNIST's layout). */
export function idxBytes(dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + values.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d);
  });
  out.set(Array.from(values), header);
  return out;
}
