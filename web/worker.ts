/**
 * The training worker: the worker global scope wired to the loop (worker-loop.ts) that trains in
 * time slices and answers with snapshots.
 */
import type { FromWorker, ToWorker } from "./protocol.js";
import type { KernelThreads } from "./session.js";
import { WorkerLoop } from "./worker-loop.js";

/** The part of the worker global scope used here (the page's tsconfig has the DOM lib). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

// A message to ourselves runs the next slice after the page's queued messages (setTimeout would
// clamp to 4 ms).
const channel = new MessageChannel();
// Both cores for one run where the page is cross-origin isolated (the playground server sends
// COOP and COEP): helpers are nested workers on the kernels' shared memory. They start once this
// worker yields, so products do not wait for them (awaitHelpers false).
const isolated = (self as unknown as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
// At most 4: each model of compare mode has its own helpers, and playground networks are small.
const cores = Math.min(navigator.hardwareConcurrency || 1, 4);
const threads: KernelThreads | undefined =
  isolated && cores > 1
    ? {
        threads: cores,
        awaitHelpers: false,
        spawnHelper: (init) =>
          new Worker(new URL("./kernel-helper-worker.ts", import.meta.url), { type: "module" }).postMessage(
            init,
          ),
      }
    : undefined;
const loop = new WorkerLoop({
  post: (message, transfer) => scope.postMessage(message, transfer),
  now: () => performance.now(),
  schedule: () => channel.port2.postMessage(0),
  ...(threads ? { threads } : {}),
});
channel.port1.onmessage = () => loop.tick();
scope.onmessage = (event) => loop.handle(event.data);
