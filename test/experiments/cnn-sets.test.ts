import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import { CAT_CNN_MODELS, cnnSetFor, DIGIT_CNN_MODELS } from "../../src/experiments/cnn-sets.js";

const bundle = (channels: number | null) => ({
  source: "t",
  train: {
    X: matrix(channels === null ? 2 : 4 * 4 * channels, 1),
    y: new Uint8Array(1),
    ...(channels !== null && { shape: { height: 4, width: 4, channels } }),
  },
});

describe("the CNN model sets", () => {
  it("are chosen by the images' channels, and none for plain features", () => {
    expect(cnnSetFor(bundle(3))?.name).toBe("rgb-cnn");
    expect(cnnSetFor(bundle(1))?.name).toBe("grayscale-cnn");
    expect(cnnSetFor(bundle(null))).toBeNull();
  });

  it("hold the issue's rows: cats with every remedy, digits the dense net beside the CNN", () => {
    expect(CAT_CNN_MODELS.map((m) => m.key)).toEqual([
      "none",
      "l2",
      "dropout",
      "spatial-dropout",
      "flip",
      "flip-crop",
      "combined",
    ]);
    expect(CAT_CNN_MODELS.every((m) => m.layers?.[0].type === "conv")).toBe(true);
    expect(
      CAT_CNN_MODELS.find((m) => m.key === "spatial-dropout")!.layers!.some(
        (l) => l.type === "spatial-dropout",
      ),
    ).toBe(true);
    expect(DIGIT_CNN_MODELS.map((m) => [m.key, m.layers !== undefined])).toEqual([
      ["dense", false],
      ["cnn", true],
      ["cnn-distort", true],
    ]);
  });
});
