import { describe, expect, it } from "vitest";
import { fromRows } from "../../src/core/matrix.js";
import { describeHugeFeatures, formatMagnitude, hugeFeatures } from "../../src/data/feature-scale.js";

describe("naming huge features", () => {
  it("names the features beyond the limit by their extreme value, largest first", () => {
    const X = fromRows([
      [0.1, -0.2, 0.3],
      [1e308, 5, -1e308],
      [7, -3e12, 2],
    ]);
    expect(hugeFeatures(X).map((h) => h.feature)).toEqual([1, 2]);
    expect(describeHugeFeatures(X)).toBe("feature 2 reaches 1e308, feature 3 reaches -3e12");
    expect(describeHugeFeatures(X, 1e150)).toBe("feature 2 reaches 1e308");
    expect(describeHugeFeatures(fromRows([[0.5, -1]]))).toBeUndefined();
  });

  it("keeps the list short and formats magnitudes compactly", () => {
    const X = fromRows(Array.from({ length: 5 }, (_, f) => [10 ** (4 + f)]));
    expect(describeHugeFeatures(X)).toBe(
      "feature 5 reaches 1e8, feature 4 reaches 1e7, feature 3 reaches 1e6 (and 2 more)",
    );
    expect(formatMagnitude(2000)).toBe("2000");
    expect(formatMagnitude(-3.456e12)).toBe("-3.46e12");
    expect(formatMagnitude(1.5e-7)).toBe("1.5e-7");
  });
});
