import { expect } from "vitest";
import { DataError } from "../../src/data/dataset.js";

/** Same length and every value the same bits (0 and −0 told apart, NaN equal to NaN). */
export function sameBits(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  const bitsA = new BigUint64Array(a.slice().buffer);
  const bitsB = new BigUint64Array(b.slice().buffer);
  const first = bitsA.findIndex((v, i) => v !== bitsB[i]);
  expect(first, `first difference at ${first}: ${a[first]} vs ${b[first]}`).toBe(-1);
}

/** The message of the DataError `f` throws (fails the test if it throws anything else or nothing). */
export function dataErrorMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error("expected a DataError");
}
