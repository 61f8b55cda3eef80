/**
 * A helper thread of the training worker's kernels (a nested Web Worker): serves blocked-product
 * calls on the shared WebAssembly memory it is sent (see src/core/wasm/threads.ts).
 */
import { type HelperInit, serveKernelCalls } from "../src/core/wasm/threads.js";

(self as unknown as { onmessage: ((e: MessageEvent<HelperInit>) => void) | null }).onmessage = (e) =>
  serveKernelCalls(e.data);
