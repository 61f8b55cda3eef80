import { describe, expect, it } from "vitest";
import { resolveLayers } from "../../../src/core/layers/network.js";
import {
  axisGeometry,
  checkLayerSpec,
  LayerSpecError,
  outputShape,
  parseLayerSpecs,
  specText,
} from "../../../src/core/layers/spec.js";

describe("--layers specs", () => {
  it("reads conv, pooling, dropout and dense tokens", () => {
    expect(
      parseLayerSpecs(
        "conv:8:5,maxpool:2,conv:16:3:2:same,avgpool:3:1,spatial-dropout:0.8,64,dropout:0.5,10",
      ),
    ).toEqual([
      { type: "conv", filters: 8, size: 5, stride: 1, padding: "valid" },
      { type: "maxpool", size: 2, stride: 2 },
      { type: "conv", filters: 16, size: 3, stride: 2, padding: "same" },
      { type: "avgpool", size: 3, stride: 1 },
      { type: "spatial-dropout", keepProb: 0.8 },
      { type: "dense", units: 64 },
      { type: "dropout", keepProb: 0.5 },
      { type: "dense", units: 10 },
    ]);
    expect(parseLayerSpecs("conv:4:3:same")[0]).toMatchObject({ padding: "same", stride: 1 });
    expect(parseLayerSpecs("")).toEqual([]);
  });

  it("refuses bad tokens with one line naming the token", () => {
    for (const bad of [
      "conv:8",
      "conv:0:3",
      "conv:8:3:same:2",
      "conv:8:3:diagonal",
      "maxpool",
      "maxpool:2.5",
      "pool:2",
      "spatial-dropout:1.5",
      "dropout",
      "-3",
      "64x",
    ]) {
      expect(() => parseLayerSpecs(bad), bad).toThrow(LayerSpecError);
      try {
        parseLayerSpecs(bad);
      } catch (e) {
        expect((e as Error).message).not.toContain("\n");
      }
    }
  });

  it("round-trips through specText and checkLayerSpec", () => {
    const specs = parseLayerSpecs("conv:8:5:2:same,maxpool:2,avgpool:3:2,spatial-dropout:0.5,20");
    expect(parseLayerSpecs(specs.map(specText).join(","))).toEqual(specs);
    for (const s of specs) expect(checkLayerSpec(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(() => checkLayerSpec({ type: "conv", filters: 2, size: 3, padding: "full" })).toThrow(
      LayerSpecError,
    );
  });

  it("uses Keras's output sizes and 'same' padding (the extra row or column after)", () => {
    expect(axisGeometry(28, 5, 1, "valid")).toEqual({ out: 24, before: 0 });
    expect(axisGeometry(7, 3, 2, "valid")).toEqual({ out: 3, before: 0 });
    expect(axisGeometry(7, 3, 2, "same")).toEqual({ out: 4, before: 1 });
    expect(axisGeometry(6, 4, 1, "same")).toEqual({ out: 6, before: 1 }); // total 3: 1 before, 2 after
    expect(axisGeometry(5, 4, 3, "same")).toEqual({ out: 2, before: 1 });
    expect(
      outputShape({ type: "maxpool", size: 2, stride: 2 }, { height: 7, width: 5, channels: 3 }),
    ).toEqual({
      height: 3,
      width: 2,
      channels: 3,
    });
    expect(() =>
      outputShape({ type: "conv", filters: 2, size: 5 }, { height: 4, width: 9, channels: 1 }),
    ).toThrow(/needs an input of at least 5 × 5, it gets 4 × 9/);
  });

  it("resolves the digits CNN: flatten before the first dense layer, dropout after hidden dense layers, the output", () => {
    const layers = resolveLayers(
      parseLayerSpecs("conv:8:5,maxpool:2,conv:16:3,maxpool:2,64"),
      { height: 28, width: 28, channels: 1 },
      10,
      [0.5],
    );
    expect(layers.map(specText)).toEqual([
      "conv:8:5:1:valid",
      "maxpool:2",
      "conv:16:3:1:valid",
      "maxpool:2",
      "flatten",
      "64",
      "dropout:0.5",
      "10",
    ]);
    expect(() =>
      resolveLayers(parseLayerSpecs("16,spatial-dropout:0.5"), { height: 4, width: 4, channels: 1 }, 3),
    ).toThrow(LayerSpecError);
  });
});
