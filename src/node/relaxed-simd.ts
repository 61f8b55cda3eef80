import { setFlagsFromString } from "node:v8";
import { relaxedSimdAvailable } from "../core/wasm-kernels.js";

/**
 * Turns on WebAssembly relaxed SIMD (for precision "f32-fma") where V8 keeps it behind a flag:
 * Node 20's V8 11.3 needs --experimental-wasm-relaxed-simd, which takes effect for modules
 * compiled afterwards, helper threads included. Returns whether relaxed SIMD is now available.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdAvailable()) return true;
  setFlagsFromString("--experimental-wasm-relaxed-simd");
  return relaxedSimdAvailable();
}
