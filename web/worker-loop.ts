/**
 * What the training worker does, without the worker: it runs the session in time slices (a few
 * milliseconds of steps, then a yield so messages get through) and sends a snapshot whenever the
 * page has drawn the previous one — at most one per animation frame, never a backlog. The worker
 * global scope (postMessage, the clock, the message channel that schedules the next slice) comes
 * in as a host, so a Node test drives the loop with its own clock.
 */
import { keepProbsFor } from "../src/core/dropout.js";
import { hasDropoutLayers, layeredMcDropoutPasses } from "../src/core/layers/mc-dropout.js";
import type { LayeredNetwork } from "../src/core/layers/network.js";
import { matrix } from "../src/core/matrix.js";
import { predictWithUncertainty, summarizePasses, type Uncertainty } from "../src/core/mc-dropout.js";
import { Network } from "../src/core/network.js";
import type { FromWorker, ModelSnapshot, Prediction, ToWorker } from "./protocol.js";
import { type KernelThreads, Session } from "./session.js";

export interface WorkerHost {
  /** Sends a message to the page, handing over these buffers. */
  post(message: FromWorker, transfer: ArrayBuffer[]): void;
  /** Milliseconds on a monotonic clock (performance.now()). */
  now(): number;
  /** Calls `loop.tick()` soon, after the messages already queued. */
  schedule(): void;
  /** More threads for large products, when the page can have them. */
  readonly threads?: KernelThreads;
}

/** Milliseconds of training per slice before yielding to the message queue. */
const SLICE_MS = 12;
/** Aim for chunks of about this long between clock reads. */
const CHUNK_MS = 1;
/** Send a snapshot at least this often even without an ack (hidden tabs draw nothing). */
export const ACK_TIMEOUT_MS = 1000;
/**
 * Images: send the weights (e.g. 50 000 of [784, 64, 10]) at most this often while training; the
 * page's unit images repaint no more often, and copying them into every snapshot costs both sides.
 */
const WEIGHTS_MS = 250;
/** The grid may take at most this share of the worker's time while training. */
const GRID_SHARE = 0.2;

export class WorkerLoop {
  private session: Session | undefined;
  private runId = 0;
  private playing = false;
  private awaitingAck = false;
  private lastPost = 0;
  /** Steps between clock reads, adapted to the network's speed. */
  private chunk = 8;
  private scheduled = false;
  /** (time, iteration) samples for the rate over about the last second. */
  private samples: Array<{ t: number; it: number }> = [];
  /** Steps per animation frame (one snapshot each, paced by the page's acks); null: as fast as it can. */
  private perFrame: number | null = null;
  /** Milliseconds the last grid took (an average), and when it was sampled. */
  private gridCost = 0;
  private lastGrid = Number.NEGATIVE_INFINITY;
  private lastWeights = Number.NEGATIVE_INFINITY;

  constructor(private readonly host: WorkerHost) {}

  /** Handles one message from the page; a failure becomes an "error" message, never a throw. */
  handle(msg: ToWorker): void {
    try {
      this.dispatch(msg);
    } catch (e) {
      this.playing = false;
      this.host.post(
        { type: "error", runId: this.runId, message: e instanceof Error ? e.message : String(e) },
        [],
      );
    }
  }

  /** One slice of training, then a snapshot if the page is ready for one. */
  tick(): void {
    this.scheduled = false;
    const s = this.session;
    if (!this.playing || !s) return;
    if (this.perFrame !== null) {
      // Slow motion: a frame's steps, then wait for the page to draw them (its ack schedules more).
      if (this.awaitingAck) return;
      s.step(this.perFrame);
      this.sample(s);
      if (s.done) this.playing = false;
      this.post();
      return;
    }
    const start = this.host.now();
    let now = start;
    while (now - start < SLICE_MS && !s.done) {
      // An evaluation's scoring comes first, a slice of examples at a time (a few ms each), so
      // its figures are never far behind and no turn of the worker runs long.
      if (s.scoring) {
        s.scoreSlice();
        now = this.host.now();
        continue;
      }
      s.advance(this.chunk);
      const after = this.host.now();
      const took = after - now;
      now = after;
      // Keep each chunk near CHUNK_MS so the slice ends on time whatever the network's size.
      this.chunk = Math.max(
        1,
        Math.min(100_000, Math.round(took > 0 ? (this.chunk * CHUNK_MS) / took : this.chunk * 2)),
      );
    }
    this.sample(s);
    if (s.done) {
      this.playing = false;
      this.post();
      return;
    }
    if (!this.awaitingAck || now - this.lastPost > ACK_TIMEOUT_MS) this.post();
    this.schedule();
  }

  private dispatch(msg: ToWorker): void {
    switch (msg.type) {
      case "setup": {
        this.runId = msg.runId;
        this.playing = false;
        this.awaitingAck = false;
        this.samples = [];
        this.gridCost = 0;
        this.lastGrid = Number.NEGATIVE_INFINITY;
        const previous = msg.carry ? this.session : undefined;
        const old = this.session;
        this.session = undefined;
        this.session = new Session(msg, previous, this.host.threads);
        old?.close();
        this.post();
        return;
      }
      case "retune":
        if (!this.session || msg.runId !== this.runId) return;
        this.session.retune(msg.config, msg.stopAt, msg.models);
        if (!this.playing) this.post();
        return;
      case "play":
        if (!this.session || this.session.done) return;
        this.playing = true;
        this.samples = [];
        this.sample(this.session);
        this.schedule();
        return;
      case "pause":
        if (!this.playing) return;
        this.playing = false;
        // Paused, the page shows the figures of every iteration it reached.
        this.session?.finishScoring();
        this.post();
        return;
      case "step":
        if (!this.session) return;
        this.playing = false;
        this.session.step(msg.count);
        this.post();
        return;
      case "ack":
        this.awaitingAck = false;
        if (this.playing && this.perFrame !== null) this.schedule();
        return;
      case "speed":
        this.perFrame = msg.stepsPerFrame;
        if (this.playing) this.schedule();
        return;
      case "watch":
        if (!this.session) return;
        this.session.watch = msg.unit;
        if (!this.playing) this.post();
        return;
      case "predict": {
        const run = this.session?.runs[msg.model];
        if (!run) return;
        const p = predictOne(run.network, run.config.keepProb, msg.x, msg.requestId);
        const buffers = [p.probabilities, ...(p.low ? [p.low] : []), ...(p.high ? [p.high] : [])];
        this.host.post(
          { type: "prediction", requestId: msg.requestId, ...p },
          buffers.map((a) => a.buffer as ArrayBuffer),
        );
        return;
      }
      case "export": {
        const session = this.session;
        const run = session?.runs[msg.model];
        if (!session || !run) return;
        this.host.post({ type: "model", requestId: msg.requestId, json: run.modelJSON(session.source) }, []);
        return;
      }
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.host.schedule();
  }

  private rate(): number {
    const { samples } = this;
    if (samples.length < 2) return 0;
    const a = samples[0];
    const b = samples[samples.length - 1];
    return b.t > a.t ? ((b.it - a.it) * 1000) / (b.t - a.t) : 0;
  }

  private sample(s: Session): void {
    const t = this.host.now();
    this.samples.push({ t, it: s.runs.reduce((most, r) => Math.max(most, r.iteration), 0) });
    while (this.samples.length > 2 && t - this.samples[1].t > 1000) this.samples.shift();
  }

  private post(): void {
    const session = this.session;
    if (!session) return;
    const start = this.host.now();
    const withGrid = !this.playing || start - this.lastGrid >= this.gridCost * (1 / GRID_SHARE - 1);
    const withWeights = !this.playing || !session.images || start - this.lastWeights >= WEIGHTS_MS;
    if (withWeights) this.lastWeights = start;
    const models: ModelSnapshot[] = session.snapshot(this.rate(), withGrid, withWeights);
    if (withGrid) {
      const took = this.host.now() - start;
      this.gridCost = this.gridCost === 0 ? took : 0.8 * this.gridCost + 0.2 * took;
      this.lastGrid = this.host.now();
    }
    const transfer: ArrayBuffer[] = [];
    for (const m of models) {
      if (m.grid) transfer.push(m.grid.buffer as ArrayBuffer);
      if (m.unit) transfer.push(m.unit.values.buffer as ArrayBuffer);
      for (const a of m.maps ?? []) transfer.push(a.buffer as ArrayBuffer);
      for (const w of m.weights) transfer.push(w.buffer as ArrayBuffer);
      for (const a of [m.confusion, m.misclassified, m.strip]) if (a) transfer.push(a.buffer as ArrayBuffer);
    }
    this.host.post({ type: "snapshot", runId: this.runId, running: this.playing, models }, transfer);
    this.awaitingAck = true;
    this.lastPost = this.host.now();
  }
}

/** MC-dropout passes for a drawn digit's band: enough for a 5–95 % band, quick between slices. */
const MC_PASSES = 40;

/**
 * One example's class probabilities (P(class 0), P(class 1) for a sigmoid) and, for a network
 * with dropout (dense, or layered with dropout layers keeping less than everything), the band.
 */
export function predictOne(
  net: Network | LayeredNetwork,
  keepProb: number | readonly number[],
  x: Float64Array,
  seed: number,
): Prediction {
  const X = matrix(x.length, 1);
  X.data.set(x);
  const raw = net.predictProba(X);
  const two = net.outputs === 1;
  const probabilities = two ? Float64Array.of(1 - raw[0], raw[0]) : raw;
  let u: Uncertainty;
  if (net instanceof Network) {
    const keep = keepProbsFor(keepProb, net.sizes.length - 2);
    if (keep.every((p) => p >= 1)) return { probabilities };
    u = predictWithUncertainty(net, X, { keepProb: keep, samples: MC_PASSES, seed });
  } else {
    // A layered network's own dropout layers say where and how much (keepProb is the dense one's).
    if (!hasDropoutLayers(net)) return { probabilities };
    u = summarizePasses(layeredMcDropoutPasses(net, X, { samples: MC_PASSES, seed }));
  }
  if (!two) return { probabilities, low: u.low, high: u.high };
  return {
    probabilities,
    low: Float64Array.of(1 - u.high[0], u.low[0]),
    high: Float64Array.of(1 - u.low[0], u.high[0]),
  };
}
