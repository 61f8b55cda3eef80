import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Conv2D } from "../../../src/core/layers/conv2d.js";
import { LayeredNetwork, resolveLayers } from "../../../src/core/layers/network.js";
import { Pool2D } from "../../../src/core/layers/pool.js";
import { type Padding, parseLayerSpecs } from "../../../src/core/layers/spec.js";
import { RandomState } from "../../../src/core/random.js";
import { context, fromLayout, relativeError, toLayout } from "./helpers.js";

// Written by scripts/reference/cnn_reference.py: the course's naive loops in float64.
const FIXTURE = JSON.parse(readFileSync(new URL("../../fixtures/cnn-layers.json", import.meta.url), "utf8"));

interface ConvCase {
  m: number;
  height: number;
  width: number;
  channels: number;
  size: number;
  filters: number;
  stride: number;
  padding: Padding;
  outHeight: number;
  outWidth: number;
  A_prev: number[];
  W: number[];
  b: number[];
  Z: number[];
  dZ: number[];
  dA_prev: number[];
  dW: number[];
  db: number[];
}

interface PoolCase {
  m: number;
  height: number;
  width: number;
  channels: number;
  size: number;
  stride: number;
  mode: "max" | "avg";
  outHeight: number;
  outWidth: number;
  A_prev: number[];
  A: number[];
  dA: number[];
  dA_prev: number[];
}

const TOLERANCE = 1e-13;

describe("Conv2D against the course's conv_forward / conv_backward (numpy, naive loops)", () => {
  for (const c of FIXTURE.conv as ConvCase[]) {
    const name = `${c.m}×${c.height}×${c.width}×${c.channels}, ${c.filters} filters ${c.size}×${c.size}, stride ${c.stride}, ${c.padding}`;
    it(name, () => {
      const layer = new Conv2D(
        { height: c.height, width: c.width, channels: c.channels },
        { filters: c.filters, size: c.size, stride: c.stride, padding: c.padding },
        Float64Array.from(c.W),
        Float64Array.from(c.b),
        context(c.m),
      );
      expect(layer.output).toEqual({ height: c.outHeight, width: c.outWidth, channels: c.filters });
      const x = toLayout(c.A_prev, c.m, c.height, c.width, c.channels);
      const z = layer.forward(x, c.m);
      const Z = fromLayout(z, c.m, c.outHeight, c.outWidth, c.filters);
      expect(relativeError(Z, c.Z)).toBeLessThanOrEqual(TOLERANCE);
      const dy = toLayout(c.dZ, c.m, c.outHeight, c.outWidth, c.filters);
      const dx = layer.backward(dy, c.m, 1, 0)!;
      expect(
        relativeError(fromLayout(dx, c.m, c.height, c.width, c.channels), c.dA_prev),
      ).toBeLessThanOrEqual(TOLERANCE);
      expect(relativeError(layer.grads[0], c.dW)).toBeLessThanOrEqual(TOLERANCE);
      expect(relativeError(layer.grads[1], c.db)).toBeLessThanOrEqual(TOLERANCE);
    });
  }
});

describe("Pool2D against the course's pool_forward / pool_backward", () => {
  for (const c of FIXTURE.pool as PoolCase[]) {
    it(`${c.mode} ${c.size}×${c.size} stride ${c.stride} on ${c.m}×${c.height}×${c.width}×${c.channels}`, () => {
      const layer = new Pool2D(
        { height: c.height, width: c.width, channels: c.channels },
        c.mode,
        c.size,
        c.stride,
        context(c.m),
      );
      expect(layer.output).toEqual({ height: c.outHeight, width: c.outWidth, channels: c.channels });
      const a = layer.forward(toLayout(c.A_prev, c.m, c.height, c.width, c.channels), c.m);
      expect(relativeError(fromLayout(a, c.m, c.outHeight, c.outWidth, c.channels), c.A)).toBeLessThanOrEqual(
        TOLERANCE,
      );
      const dx = layer.backward(toLayout(c.dA, c.m, c.outHeight, c.outWidth, c.channels), c.m)!;
      expect(
        relativeError(fromLayout(dx, c.m, c.height, c.width, c.channels), c.dA_prev),
      ).toBeLessThanOrEqual(TOLERANCE);
    });
  }
});

describe("LayeredNetwork.initialize", () => {
  it("draws He weights layer by layer as numpy's RandomState does", () => {
    const f = FIXTURE.init;
    const input = { height: f.input[0], width: f.input[1], channels: f.input[2] };
    const layers = resolveLayers(parseLayerSpecs(f.layers), input, f.outputs);
    const net = LayeredNetwork.initialize(layers, input, new RandomState(f.seed));
    expect(net.weights.map((w) => Array.from(w))).toEqual(f.weights);
    expect(net.biases.every((b) => b.every((v) => v === 0))).toBe(true);
  });
});

// Output positions go in chunks when the batch is large: the same outputs, the same gradients up to
// the order of the sums.
describe("Conv2D chunks", () => {
  it("gives the same output and gradients with output positions in several chunks", () => {
    const c = (FIXTURE.conv as ConvCase[])[0];
    const make = (patchBudget?: number) =>
      new Conv2D(
        { height: c.height, width: c.width, channels: c.channels },
        { filters: c.filters, size: c.size, stride: c.stride, padding: c.padding },
        Float64Array.from(c.W),
        Float64Array.from(c.b),
        context(c.m, patchBudget === undefined ? {} : { patchBudget }),
      );
    // 27 values per patch, 2 examples: a budget of 200 makes chunks of 3 positions (of 15).
    const chunked = make(200);
    const whole = make();
    const x = toLayout(c.A_prev, c.m, c.height, c.width, c.channels);
    expect(Array.from(chunked.forward(x, c.m).subarray(0, c.Z.length))).toEqual(
      Array.from(whole.forward(x, c.m).subarray(0, c.Z.length)),
    );
    const dy = () => toLayout(c.dZ, c.m, c.outHeight, c.outWidth, c.filters);
    const dx1 = chunked.backward(dy(), c.m, 0.5, 0.25)!.slice(0, c.A_prev.length);
    const dx2 = whole.backward(dy(), c.m, 0.5, 0.25)!.slice(0, c.A_prev.length);
    expect(relativeError(dx1, dx2)).toBeLessThanOrEqual(TOLERANCE);
    expect(relativeError(chunked.grads[0], whole.grads[0])).toBeLessThanOrEqual(TOLERANCE);
    expect(relativeError(chunked.grads[1], whole.grads[1])).toBeLessThanOrEqual(TOLERANCE);
    // scale·dW + decay·W against the fixture's plain sums.
    const expected = c.dW.map((v, i) => 0.5 * v + 0.25 * c.W[i]);
    expect(relativeError(chunked.grads[0], expected)).toBeLessThanOrEqual(TOLERANCE);
  });
});
