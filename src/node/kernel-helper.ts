// A helper thread of the WebAssembly kernels: serves blocked-product calls on the shared memory
// it is given (see src/core/wasm/threads.ts) until its kernels stop it.
import { workerData } from "node:worker_threads";
import { type HelperInit, serveKernelCalls } from "../core/wasm/threads.js";

serveKernelCalls(workerData as HelperInit);
