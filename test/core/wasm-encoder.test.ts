import { describe, expect, it } from "vitest";
import { encodeModule, F64, FunctionBuilder, I32 } from "../../src/core/wasm/encoder.js";

type Exports = Record<string, (...a: number[]) => number>;
// The project's Node typings leave WebAssembly out; these few members are all the test uses.
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      validate(bytes: Uint8Array): boolean;
      Module: new (bytes: Uint8Array) => object;
      Memory: new (d: { initial: number }) => object;
      Instance: new (module: object, imports: object) => { exports: Exports };
    };
  }
).WebAssembly;

/** Instantiates functions with a one-page memory and returns their exports. */
function instantiate(functions: Map<string, FunctionBuilder>): Exports {
  const bytes = encodeModule(functions);
  expect(wasm.validate(bytes)).toBe(true);
  const memory = new wasm.Memory({ initial: 1 });
  return new wasm.Instance(new wasm.Module(bytes), { env: { memory } }).exports;
}

describe("the WebAssembly encoder", () => {
  it("encodes i32 constants at every LEB128 length boundary", () => {
    const values = [0, 1, 63, 64, -64, -65, 127, 128, 8191, 8192, -8193, 2 ** 31 - 1, -(2 ** 31), 0x9908b0df];
    const functions = new Map(
      values.map((v, i) => [`c${i}`, new FunctionBuilder([], [I32]).i32(v)] as const),
    );
    const exports = instantiate(functions);
    expect(values.map((_, i) => exports[`c${i}`]())).toEqual(values.map((v) => v | 0));
  });

  it("encodes f64 constants, locals, loops and br_table", () => {
    // sum(n) = Σ_{k<n} k by a loop; pick(i) = [10, 20, 30][i] (else 40) by br_table.
    const sum = new FunctionBuilder([I32], [I32]);
    const acc = sum.local(I32);
    const k = sum.local(I32);
    sum.block().loop().get(k).get(0).i32GeS().brIf(1);
    sum.get(acc).get(k).i32Add().set(acc).get(k).i32(1).i32Add().set(k).br(0).end().end().get(acc);
    const pick = new FunctionBuilder([I32], [F64]);
    const out = pick.local(F64);
    // block exit { block c3 { block c2 { block c1 { block c0 { br_table } 10 } 20 } 30 } 40 }
    pick.block().block().block().block().block().get(0).brTable([0, 1, 2], 3);
    for (const [leave, value] of [
      [3, 10],
      [2, 20],
      [1, 30],
      [0, 40],
    ]) {
      pick.end().f64(value).set(out).br(leave);
    }
    pick.end();
    pick.get(out);
    const exports = instantiate(
      new Map([
        ["sum", sum],
        ["pick", pick],
      ]),
    );
    expect(exports.sum(100)).toBe(4950);
    expect([0, 1, 2, 3, 9].map((i) => exports.pick(i))).toEqual([10, 20, 30, 40, 40]);
  });
});
