/**
 * The training worker: the worker global scope wired to the loop (worker-loop.ts) that trains in
 * time slices and answers with snapshots.
 */
import type { FromWorker, ToWorker } from "./protocol.js";
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
const loop = new WorkerLoop({
  post: (message, transfer) => scope.postMessage(message, transfer),
  now: () => performance.now(),
  schedule: () => channel.port2.postMessage(0),
});
channel.port1.onmessage = () => loop.tick();
scope.onmessage = (event) => loop.handle(event.data);
