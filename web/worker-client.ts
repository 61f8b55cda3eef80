/**
 * The page's side of the training worker: it starts the worker, sends messages, and pairs each
 * model export and prediction with its reply. Everything else the worker says goes to `onMessage`.
 */
import type { FromWorker, Prediction, ToWorker } from "./protocol.js";

type Reply = Exclude<FromWorker, { type: "model" } | { type: "prediction" }>;

export class WorkerClient {
  private readonly worker: Worker;
  private requestId = 0;
  private readonly pending = new Map<number, (json: string) => void>();
  private readonly predictions = new Map<number, (p: Prediction) => void>();

  constructor(onMessage: (msg: Reply) => void, onFailure: (message: string) => void) {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const msg = e.data;
      if (msg.type === "prediction") {
        this.predictions.get(msg.requestId)?.(msg);
        this.predictions.delete(msg.requestId);
        return;
      }
      if (msg.type !== "model") {
        onMessage(msg);
        return;
      }
      this.pending.get(msg.requestId)?.(msg.json);
      this.pending.delete(msg.requestId);
    };
    this.worker.onerror = (e) => onFailure(e.message);
  }

  post(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  /** The model file (`reglab predict --model`) of model `index` of the current run. */
  modelJson(index: number): Promise<string> {
    const requestId = ++this.requestId;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.post({ type: "export", requestId, model: index });
    });
  }

  /** Model `model`'s class probabilities for one example (with the MC-dropout band for dropout). */
  predict(model: number, x: Float64Array): Promise<Prediction> {
    const requestId = ++this.requestId;
    return new Promise((resolve) => {
      this.predictions.set(requestId, resolve);
      this.post({ type: "predict", requestId, model, x });
    });
  }
}
