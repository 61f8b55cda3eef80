import { describe, expect, it } from "vitest";
import { layeredModelFromJSON, layeredModelToJSON } from "../../../src/core/layers/model-file.js";
import { LayeredNetwork, resolveLayers } from "../../../src/core/layers/network.js";
import { parseLayerSpecs } from "../../../src/core/layers/spec.js";
import { RandomState } from "../../../src/core/random.js";
import { ModelFormatError } from "../../../src/core/serialize.js";
import { BARS_SHAPE, bars } from "../../support/bars.js";

function model() {
  const layers = resolveLayers(
    parseLayerSpecs("conv:3:3:1:same,maxpool:2,spatial-dropout:0.5,5"),
    BARS_SHAPE,
    3,
    [0.8],
  );
  return LayeredNetwork.initialize(layers, BARS_SHAPE, new RandomState(4));
}

describe("layered model files (format version 3)", () => {
  it("round-trip the layers and weights: the same predictions", () => {
    const net = model();
    const file = JSON.parse(JSON.stringify(layeredModelToJSON(net, { classes: ["a", "b", "c"] })));
    expect(file.version).toBe(3);
    const back = layeredModelFromJSON(file);
    expect(back.layers).toEqual(net.layers);
    const data = bars(12, 2);
    expect(Array.from(back.logits(data.X))).toEqual(Array.from(net.logits(data.X)));
  });

  it("refuse damaged files with one line naming what is wrong", () => {
    const good = () => JSON.parse(JSON.stringify(layeredModelToJSON(model())));
    const cases: [string, (f: Record<string, unknown>) => void, RegExp][] = [
      [
        "an unknown layer",
        (f) => ((f.layers as unknown[])[1] = { type: "pool", size: 2 }),
        /unknown layer type "pool"/,
      ],
      ["a short weight array", (f) => (f.weights as number[][])[0].pop(), /expected 54 weights and 3 biases/],
      [
        "a string weight",
        (f) => ((f.weights as unknown[][])[1][0] = "1"),
        /weights\[1\]\[0\] is .*not a finite number/,
      ],
      ["no image shape", (f) => delete f.image, /image is .*expected \{ height, width, channels \}/],
      [
        "a pooling window larger than its input",
        (f) => ((f.layers as { size?: number }[])[1].size = 9),
        /maxpool:9:2 needs an input of at least 9 × 9, it gets 8 × 8/,
      ],
    ];
    for (const [what, change, pattern] of cases) {
      const f = good();
      change(f);
      let error: unknown;
      try {
        layeredModelFromJSON(f);
      } catch (e) {
        error = e;
      }
      expect(error, what).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message, what).toMatch(pattern);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});
