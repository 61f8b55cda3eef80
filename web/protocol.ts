/**
 * Messages between the page and the training worker. The page owns the settings and the data;
 * the worker owns the networks and trainers and answers with snapshots, at most one per
 * animation frame (it waits for an `ack` before sending the next).
 */
import type { KernelBackend } from "../src/core/kernels.js";
import type { LayerSpec } from "../src/core/layers/spec.js";
import type { Dataset } from "../src/data/dataset.js";
import type { View } from "../src/plot/view.js";
import type { RunConfig } from "../src/training/config.js";
import type { Feature } from "./features.js";

/** The per-unit thumbnails' grid: coarse, so every unit of an 8 × 32 network costs little. */
export const MAP_NX = 18;
export const MAP_NY = 12;

/** One model of a run: the base config with these overrides (compare mode runs three). */
export interface ModelSpec {
  readonly key: string;
  readonly name: string;
  readonly overrides: Partial<RunConfig>;
  /** Online augmentation of image data (an engine spec, e.g. "noise:0.1"); live. */
  readonly augment?: string;
}

export interface GridSpec {
  readonly view: View;
  readonly nx: number;
  readonly ny: number;
}

export interface EarlyStopSpec {
  readonly enabled: boolean;
  /** Evaluations (one every costEvery iterations) without a better dev loss before stopping. */
  readonly patience: number;
}

export interface SetupMessage {
  readonly type: "setup";
  /** Snapshots carry it back, so the page ignores those of an earlier run. */
  readonly runId: number;
  readonly data: { readonly train: Dataset; readonly dev?: Dataset; readonly test?: Dataset };
  readonly config: RunConfig;
  readonly models: readonly ModelSpec[];
  readonly earlyStopping: EarlyStopSpec;
  /** Where to sample the boundary (absent for data without exactly 2 features). */
  readonly grid?: GridSpec;
  /** Iterations after which training ends: null never (until paused), absent the config's. */
  readonly stopAt?: number | null;
  /**
   * Go on from the current run's weights, optimizer and history where the network is the same
   * (new examples, e.g. a clicked point), instead of starting over.
   */
  readonly carry?: boolean;
  /** Engineered inputs appended to (x₁, x₂) in the data; the grid gets them too. */
  readonly features?: readonly Feature[];
  /**
   * Images: hidden layers with convolutions and pooling (e.g. conv:8:5, maxpool:2, 64), trained as
   * `reglab train --layers` trains them; the dense sizes among them are config.hidden.
   */
  readonly layers?: readonly LayerSpec[];
}

export interface UnitRef {
  /** 0 = input, 1..L−1 hidden, L = output. */
  readonly layer: number;
  readonly index: number;
}

export type ToWorker =
  | SetupMessage
  | { readonly type: "play" }
  | { readonly type: "pause" }
  | { readonly type: "step"; readonly count: number }
  /** Apply these settings live (learning rate, λ, keepProb, optimizer, the stop) to the run. */
  | {
      readonly type: "retune";
      readonly runId: number;
      readonly config: RunConfig;
      readonly stopAt: number | null;
      /** Each model's overrides now (compare mode's panels follow λ and keepProb). */
      readonly models?: readonly ModelSpec[];
    }
  /** Train `stepsPerFrame` iterations per drawn snapshot (null: as fast as the worker can). */
  | { readonly type: "speed"; readonly stepsPerFrame: number | null }
  /** The page drew the last snapshot: the next may be sent. */
  | { readonly type: "ack" }
  /** Send this unit's activation over the grid with each snapshot (null: none). */
  | { readonly type: "watch"; readonly unit: UnitRef | null }
  | { readonly type: "export"; readonly requestId: number; readonly model: number }
  /** Class probabilities of one example (a drawn digit) by model `model`, with the MC-dropout band. */
  | {
      readonly type: "predict";
      readonly requestId: number;
      readonly model: number;
      readonly x: Float64Array;
    };

/** The answer to "predict": P(class k), and for a dropout model the 5–95 % band of MC passes. */
export interface Prediction {
  readonly probabilities: Float64Array;
  readonly low?: Float64Array;
  readonly high?: Float64Array;
}

/** One evaluation: plain cross-entropy (no L2, no dropout) and accuracy of the current weights. */
export interface EvalPoint {
  readonly iteration: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly devLoss?: number;
  readonly devAccuracy?: number;
  readonly testLoss?: number;
  readonly testAccuracy?: number;
}

/** New points of the history since the previous snapshot. */
export interface HistoryDelta {
  /** Iterations at which the cost was recorded (0, costEvery, …), as `reglab train` records them. */
  readonly costIterations: number[];
  /** The training objective at those iterations: that step's dropout masks, plus the L2 term. */
  readonly costs: number[];
  /** Evaluations at 0, every costEvery iterations and at the end. */
  readonly evaluations: EvalPoint[];
}

/** Correct predictions out of n, at the current weights. */
export interface Score {
  readonly correct: number;
  readonly n: number;
}

export interface ModelSnapshot {
  readonly key: string;
  readonly name: string;
  readonly iteration: number;
  readonly epoch: number;
  readonly done: boolean;
  readonly stopReason?: string;
  readonly bestIteration?: number;
  readonly error?: string;
  readonly history: HistoryDelta;
  readonly train: Score;
  readonly dev?: Score;
  readonly test?: Score;
  /**
   * P(class 1) on the grid, row j (from yMin) then column i: values[j·nx + i], in doubles (near
   * 0.5 at the start, single precision would draw the p = 0.5 line in steps). Absent when the
   * worker skipped it this time (big networks): keep drawing the previous one.
   */
  readonly grid?: Float64Array;
  /** Inputs, then the units of each layer with weights (a convolution: its filters). */
  readonly sizes: readonly number[];
  /**
   * The weights of each such layer: dense units × inputs, a convolution's f × f × C_in × C_out
   * (filter o's weight for pixel p, channel c at (p·C_in + c)·C_out + o).
   */
  readonly weights: Float32Array[];
  /** When the first layer is a convolution: its filters' side f and input channels C_in. */
  readonly filters?: { readonly size: number; readonly channels: number };
  /** Per hidden layer: 1 where the unit was dropped for the first example of the last step. */
  readonly dropped?: Uint8Array[];
  readonly unit?: { readonly ref: UnitRef; readonly values: Float32Array };
  /**
   * Per layer (0 = inputs … last = output), each unit's output on a coarse grid (MAP_NX × MAP_NY,
   * rows from yMin), units × points row-major, at most 32 units: the thumbnail in each unit.
   */
  readonly maps?: Float32Array[];
  /** Classes the network tells apart (2 for one sigmoid output). */
  readonly classes: number;
  /** Data beyond the plane: the confusion matrix at the last evaluation (row = true, column = predicted). */
  readonly confusion?: Uint32Array;
  /** Data beyond the plane: misclassified examples as (index, predicted class) pairs, the first 24. */
  readonly misclassified?: Uint32Array;
  /** The set both count: the test set, or without one the dev or training set. */
  readonly confusionOf?: "test" | "dev" | "train";
  /** Images with augmentation: the first examples of the last augmented batch, example-major. */
  readonly strip?: Float32Array;
  /** Iterations per second over the last second of running. */
  readonly rate: number;
  /** Where the worker's products run (WebAssembly SIMD unless the browser lacks it). */
  readonly kernels: KernelBackend;
  /**
   * Threads its large products run on: more than 1 on a cross-origin isolated page once a
   * product is large enough to share (same results for any count).
   */
  readonly threads: number;
}

export interface SnapshotMessage {
  readonly type: "snapshot";
  readonly runId: number;
  readonly running: boolean;
  readonly models: ModelSnapshot[];
}

export type FromWorker =
  | SnapshotMessage
  | { readonly type: "model"; readonly requestId: number; readonly json: string }
  | ({ readonly type: "prediction"; readonly requestId: number } & Prediction)
  | { readonly type: "error"; readonly runId: number; readonly message: string };
