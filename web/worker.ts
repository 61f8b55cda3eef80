/**
 * The training worker: runs the session in time slices (a few milliseconds of `trainer.step()`
 * calls, then a yield so messages get through) and sends a snapshot whenever the page has drawn
 * the previous one — at most one per animation frame, never a backlog.
 */
import type { FromWorker, ModelSnapshot, ToWorker } from "./protocol.js";
import { Session } from "./session.js";

/** The part of the worker global scope used here (the page's tsconfig has the DOM lib). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** Milliseconds of training per slice before yielding to the message queue. */
const SLICE_MS = 12;
/** Aim for chunks of about this long between clock reads. */
const CHUNK_MS = 1;
/** Send a snapshot at least this often even without an ack (hidden tabs draw nothing). */
const ACK_TIMEOUT_MS = 1000;

let session: Session | undefined;
let runId = 0;
let playing = false;
let awaitingAck = false;
let lastPost = 0;
let chunk = 8;
let scheduled = false;
// (time, iteration) samples for the rate over about the last second.
let samples: Array<{ t: number; it: number }> = [];

const channel = new MessageChannel();
channel.port1.onmessage = () => {
  scheduled = false;
  tick();
};
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  channel.port2.postMessage(0);
}

function iterationOf(s: Session): number {
  return s.runs.reduce((most, r) => Math.max(most, r.iteration), 0);
}

function rate(): number {
  if (samples.length < 2) return 0;
  const a = samples[0];
  const b = samples[samples.length - 1];
  return b.t > a.t ? ((b.it - a.it) * 1000) / (b.t - a.t) : 0;
}

function sample(s: Session): void {
  const t = performance.now();
  samples.push({ t, it: iterationOf(s) });
  while (samples.length > 2 && t - samples[1].t > 1000) samples.shift();
}

/** Milliseconds the last grid took (an average), and when it was sampled. */
let gridCost = 0;
let lastGrid = Number.NEGATIVE_INFINITY;
/** The grid may take at most this share of the worker's time while training. */
const GRID_SHARE = 0.2;

function post(): void {
  if (!session) return;
  const start = performance.now();
  const withGrid = !playing || start - lastGrid >= gridCost * (1 / GRID_SHARE - 1);
  const models: ModelSnapshot[] = session.snapshot(rate(), withGrid);
  if (withGrid) {
    const took = performance.now() - start;
    gridCost = gridCost === 0 ? took : 0.8 * gridCost + 0.2 * took;
    lastGrid = performance.now();
  }
  const transfer: Transferable[] = [];
  for (const m of models) {
    if (m.grid) transfer.push(m.grid.buffer);
    if (m.unit) transfer.push(m.unit.values.buffer);
    for (const w of m.weights) transfer.push(w.buffer);
  }
  scope.postMessage({ type: "snapshot", runId, running: playing, models }, transfer);
  awaitingAck = true;
  lastPost = performance.now();
}

function tick(): void {
  const s = session;
  if (!playing || !s) return;
  const start = performance.now();
  let now = start;
  while (now - start < SLICE_MS && !s.done) {
    s.step(chunk);
    const after = performance.now();
    const took = after - now;
    now = after;
    // Keep each chunk near CHUNK_MS so the slice ends on time whatever the network's size.
    chunk = Math.max(1, Math.min(100_000, Math.round(took > 0 ? (chunk * CHUNK_MS) / took : chunk * 2)));
  }
  sample(s);
  if (s.done) {
    playing = false;
    post();
    return;
  }
  if (!awaitingAck || now - lastPost > ACK_TIMEOUT_MS) post();
  schedule();
}

function fail(message: string): void {
  scope.postMessage({ type: "error", runId, message });
}

scope.onmessage = (event) => {
  const msg = event.data;
  try {
    switch (msg.type) {
      case "setup":
        runId = msg.runId;
        playing = false;
        awaitingAck = false;
        samples = [];
        gridCost = 0;
        lastGrid = Number.NEGATIVE_INFINITY;
        session = undefined;
        session = new Session(msg);
        post();
        return;
      case "play":
        if (!session || session.done) return;
        playing = true;
        samples = [];
        sample(session);
        schedule();
        return;
      case "pause":
        if (!playing) return;
        playing = false;
        post();
        return;
      case "step":
        if (!session) return;
        playing = false;
        session.step(msg.count);
        post();
        return;
      case "ack":
        awaitingAck = false;
        return;
      case "watch":
        if (!session) return;
        session.watch = msg.unit;
        if (!playing) post();
        return;
      case "export": {
        const run = session?.runs[msg.model];
        if (!run) return;
        scope.postMessage({ type: "model", requestId: msg.requestId, json: run.modelJSON("playground") });
        return;
      }
    }
  } catch (e) {
    playing = false;
    fail(e instanceof Error ? e.message : String(e));
  }
};
