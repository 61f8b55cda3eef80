/**
 * The drawing pad: a canvas (`canvas[data-role=draw]`) to draw a digit on with a mouse, a finger
 * or a pen (pointer events), white ink on black as MNIST's digits are. After each stroke segment
 * (at most once per frame) it preprocesses the drawing as MNIST was (digits/preprocess.ts), shows
 * what the network sees, and hands the 784 inputs on.
 */
import { preprocessDigit, SIDE } from "./digits/preprocess.js";

/** The pad's own pixels; the CSS size may be smaller (a phone). */
const PAD = 280;
/** Stroke width in pad pixels: ~2 pixels once a digit is scaled to 20. */
const STROKE = 22;

export class DrawPad {
  private drawing = false;
  private last: { x: number; y: number } | undefined;
  private pending = false;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly seen: HTMLCanvasElement,
    private readonly changed: (x: Float64Array | undefined) => void,
  ) {
    canvas.width = PAD;
    canvas.height = PAD;
    seen.width = SIDE;
    seen.height = SIDE;
    this.ctx = canvas.getContext("2d", { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      // Strokes that leave the pad still end on it; synthetic pointers cannot be captured.
      try {
        canvas.setPointerCapture(e.pointerId);
      } catch {
        // drawn without capture
      }
      this.drawing = true;
      this.last = this.at(e);
      this.segment(this.last, this.last);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (!this.drawing) return;
      // Coalesced events keep a fast pen stroke smooth.
      const events = e.getCoalescedEvents?.() ?? [e];
      for (const ev of events.length > 0 ? events : [e]) {
        const p = this.at(ev);
        this.segment(this.last ?? p, p);
        this.last = p;
      }
    });
    const end = () => {
      this.drawing = false;
      this.last = undefined;
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
  }

  clear(): void {
    this.ctx.fillStyle = "#000";
    this.ctx.fillRect(0, 0, PAD, PAD);
    this.seen.getContext("2d")?.clearRect(0, 0, SIDE, SIDE);
    this.changed(undefined);
  }

  /** Shows 784 inputs (e.g. a test digit from the gallery) as what the network sees. */
  show(x: Float64Array): void {
    const ctx = this.seen.getContext("2d");
    if (!ctx) return;
    const img = ctx.createImageData(SIDE, SIDE);
    for (let i = 0; i < SIDE * SIDE; i++) {
      const v = Math.round(255 * Math.max(0, Math.min(1, x[i])));
      img.data.set([v, v, v, 255], 4 * i);
    }
    ctx.putImageData(img, 0, 0);
  }

  private at(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * PAD, y: ((e.clientY - r.top) / r.height) * PAD };
  }

  private segment(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const ctx = this.ctx;
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = STROKE;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x + 0.01, b.y);
    ctx.stroke();
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.emit();
    });
  }

  private emit(): void {
    const data = this.ctx.getImageData(0, 0, PAD, PAD).data;
    const grey = new Float32Array(PAD * PAD);
    for (let i = 0; i < grey.length; i++) grey[i] = data[4 * i] / 255;
    const x = preprocessDigit(grey, PAD, PAD);
    if (x) this.show(x);
    this.changed(x);
  }
}
