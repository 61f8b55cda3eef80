import { describe, expect, it } from "vitest";
import { POSTS } from "../../src/core/kernels.js";
import { kernelModuleBytes, PASS_VARIANTS, passIndex, passName } from "../../src/core/wasm/kernel-module.js";

// The project's Node typings leave WebAssembly out; these two members are all the test uses.
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: { new (bytes: Uint8Array): object; exports(module: object): { name: string }[] };
    };
  }
).WebAssembly;

describe("the kernel module's dispatch contract", () => {
  it("numbers every pass variant once, in the order the module adds them", () => {
    expect(PASS_VARIANTS.map(passIndex)).toEqual(PASS_VARIANTS.map((_, i) => i));
    const keys = new Set(PASS_VARIANTS.map((v) => `${v.terms}/${v.first}/${v.post}`));
    expect(keys.size).toBe(4 * 2 * POSTS.length);
    const exported = wasm.Module.exports(new wasm.Module(kernelModuleBytes()));
    expect(exported.slice(0, PASS_VARIANTS.length).map((e) => e.name)).toEqual(PASS_VARIANTS.map(passName));
    expect(exported[PASS_VARIANTS.length].name).toBe("dense");
  });
});
