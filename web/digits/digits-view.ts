/**
 * The digits page: the drawing pad and its probability bars, accuracy over iterations (where the
 * train–test gap shows), the test confusion matrix, the strip of the current batch's augmented
 * digits, a gallery of misclassified test digits (click one: its probabilities and what the
 * network saw), and each first-layer unit's weights as a 28 × 28 image (one row per model when
 * comparing). Drawn from the worker's snapshots; the page owns the run.
 */
import type { Dataset, ImageShape } from "../../src/data/dataset.js";
import { $ } from "../dom.js";
import { DrawPad } from "../draw-pad.js";
import type { ModelHistory } from "../history.js";
import { compareTitle } from "../models.js";
import type { ModelSnapshot, Prediction } from "../protocol.js";
import { SERIES_COLORS } from "../render/colors.js";
import { type CurveSeries, drawCurves } from "../render/curves.js";
import type { Settings } from "../state.js";
import { AUGMENT_KINDS, type AugmentKind } from "./augment-kinds.js";
import { SIDE } from "./preprocess.js";
import { UnitPainter, type UnitTile } from "./unit-images.js";

export interface DigitsScene {
  readonly snaps: readonly ModelSnapshot[];
  readonly histories: readonly ModelHistory[];
  readonly settings: Settings;
  /** The model the pad, the confusion matrix and the gallery show (compare: the one chosen). */
  readonly shown: number;
  readonly sets: { readonly train: Dataset; readonly dev?: Dataset; readonly test?: Dataset };
  /** Class names by label (digits: "0"…"9"). */
  readonly classes: readonly string[];
  /** The examples' image shape (none for plain features: no pictures then). */
  readonly shape: ImageShape | undefined;
  /** Training: the unit images may lag a little (see UNITS_MS). */
  readonly playing: boolean;
}

const DIGIT_NAMES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
/** Units drawn per model: all of one model's first layer up to 64; 16 each when comparing. */
const UNITS_ONE = 64;
const UNITS_COMPARE = 16;

/**
 * While training, the unit images repaint at most this often: they change little between
 * snapshots, and 64 of them are the costliest drawing of the page.
 */
const UNITS_MS = 400;

const DIGIT: ImageShape = { height: SIDE, width: SIDE, channels: 1 };

/**
 * An image (values in [0, 1], height × width × channels row-major, grey or RGB) into `img` at
 * (x0, y0), `scale` pixels per pixel.
 */
function paintImage(
  img: ImageData,
  x: ArrayLike<number>,
  shape: ImageShape,
  x0: number,
  y0: number,
  scale: number,
): void {
  const C = shape.channels;
  const byte = (v: number) => Math.round(255 * Math.max(0, Math.min(1, v)));
  for (let r = 0; r < shape.height; r++) {
    for (let c = 0; c < shape.width; c++) {
      const at = (r * shape.width + c) * C;
      const rgb = C >= 3 ? [x[at], x[at + 1], x[at + 2]].map(byte) : [byte(x[at]), byte(x[at]), byte(x[at])];
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const k = 4 * ((y0 + r * scale + dy) * img.width + x0 + c * scale + dx);
          img.data[k] = rgb[0];
          img.data[k + 1] = rgb[1];
          img.data[k + 2] = rgb[2];
          img.data[k + 3] = 255;
        }
      }
    }
  }
}

/** Column j of an image dataset as 784 values. */
function column(d: Dataset, j: number): Float64Array {
  const m = d.X.cols;
  const out = new Float64Array(d.X.rows);
  for (let f = 0; f < out.length; f++) out[f] = d.X.data[f * m + j];
  return out;
}

export class DigitsView {
  readonly pad: DrawPad;
  /** The example whose probabilities the bars show: drawn, or a test digit from the gallery. */
  private current: Float64Array | undefined;
  private asking = false;
  private galleryKey = "";
  private scene: DigitsScene | undefined;
  private readonly painter = new UnitPainter();
  /** The snapshots the unit images show. */
  private unitsOf: readonly ModelSnapshot[] | undefined;
  private unitsAt = Number.NEGATIVE_INFINITY;
  private readonly thumbs: HTMLCanvasElement[] = [];
  /** The confusion counts the table shows. */
  private counts: Uint32Array | undefined;

  constructor(
    private readonly predict: (model: number, x: Float64Array) => Promise<Prediction>,
    private readonly change: (patch: Partial<Settings>) => void,
  ) {
    this.pad = new DrawPad($("draw") as HTMLCanvasElement, $("seen") as HTMLCanvasElement, (x) => {
      this.current = x;
      $("seen-note").textContent = x ? "what the network sees (28 × 28)" : "draw a digit";
      this.ask();
    });
    $("draw-clear").addEventListener("click", () => this.pad.clear());
    for (const box of document.querySelectorAll<HTMLInputElement>("[data-augment]")) {
      box.addEventListener("change", () => {
        const on = [...document.querySelectorAll<HTMLInputElement>("[data-augment]:checked")].map(
          (b) => b.dataset.augment as AugmentKind,
        );
        this.change({ augment: AUGMENT_KINDS.filter((k) => on.includes(k)) });
      });
    }
    const net = $("digits-net") as HTMLSelectElement;
    net.addEventListener("change", () => this.change({ net: net.value === "cnn" ? "cnn" : "dense" }));
    const arch = $("digits-layers") as HTMLSelectElement;
    arch.addEventListener("change", () => {
      const hidden = arch.value === "" ? [] : arch.value.split(",").map(Number);
      const s = this.scene?.settings;
      const keep = s?.keepProb[0] ?? 1;
      this.change({ hidden, keepProb: hidden.map(() => keep) });
    });
    this.bars(undefined);
  }

  /** The checkboxes and the layer choice as the settings say. */
  renderControls(s: Settings): void {
    for (const box of document.querySelectorAll<HTMLInputElement>("[data-augment]")) {
      box.checked = s.augment.includes(box.dataset.augment as AugmentKind);
    }
    const arch = $("digits-layers") as HTMLSelectElement;
    const value = s.hidden.join(",");
    if (![...arch.options].some((o) => o.value === value)) {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = `[784, ${[...s.hidden, 10].join(", ")}] (from the link)`;
      arch.append(o);
    }
    arch.value = value;
    ($("digits-net") as HTMLSelectElement).value = s.net;
  }

  /** Asks the worker for the current example's probabilities (one request at a time). */
  ask(): void {
    const x = this.current;
    if (!x) {
      this.bars(undefined);
      delete document.body.dataset.drawnProbabilities;
      return;
    }
    if (this.asking) return;
    this.asking = true;
    this.predict(this.scene?.shown ?? 0, x).then((p) => {
      this.asking = false;
      if (this.current !== x) {
        this.ask();
        return;
      }
      this.bars(p);
      document.body.dataset.drawnProbabilities = Array.from(p.probabilities, (v) => v.toFixed(6)).join(",");
    });
  }

  private bars(p: Prediction | undefined): void {
    const host = $("bars");
    const names = this.scene?.classes ?? DIGIT_NAMES;
    if (host.dataset.names !== names.join("|")) {
      host.dataset.names = names.join("|");
      host.replaceChildren(
        ...names.map((name) => {
          const li = document.createElement("li");
          li.innerHTML = `<span class="digit"></span><span class="track"><span class="band"></span><span class="fill"></span></span><span class="value"></span>`;
          (li.querySelector(".digit") as HTMLElement).textContent = name;
          return li;
        }),
      );
    }
    const best = p ? p.probabilities.indexOf(Math.max(...p.probabilities)) : -1;
    [...host.children].forEach((li, k) => {
      const v = p?.probabilities[k] ?? 0;
      (li.querySelector(".fill") as HTMLElement).style.width = `${100 * v}%`;
      const band = li.querySelector(".band") as HTMLElement;
      if (p?.low && p.high) {
        band.hidden = false;
        band.style.left = `${100 * p.low[k]}%`;
        band.style.width = `${100 * Math.max(0, p.high[k] - p.low[k])}%`;
      } else band.hidden = true;
      li.classList.toggle("best", k === best);
      const range = p?.low && p.high ? ` (${p.low[k].toFixed(2)}–${p.high[k].toFixed(2)})` : "";
      (li.querySelector(".value") as HTMLElement).textContent = p ? `${v.toFixed(2)}${range}` : "";
    });
    $("bars-note").textContent = p?.low
      ? "Bars: P(digit). Shaded: the 5–95 % band of 40 Monte Carlo dropout passes (dropout kept on)."
      : "Bars: P(digit), the softmax output.";
  }

  render(scene: DigitsScene): void {
    this.scene = scene;
    const snap = scene.snaps[scene.shown] ?? scene.snaps[0];
    this.curves(scene);
    if (!snap) return;
    this.confusion(snap);
    // Comparing, the augmentation model's batch (the model shown may train without any).
    this.strip(snap.strip ? snap : (scene.snaps.find((m) => m.strip) ?? snap));
    const of = snap.confusionOf ?? "test";
    $("confusion-of").textContent = of === "test" ? "test set" : `${of} set (there is no test set)`;
    this.gallery(snap, scene.sets[of]);
    this.units(scene);
    // The bars follow the network as it trains.
    this.ask();
  }

  private curves(scene: DigitsScene): void {
    const series: CurveSeries[] = [];
    const at = (h: ModelHistory, f: (e: ModelHistory["evaluations"][number]) => number | undefined) => ({
      x: h.evaluations.map((e) => e.iteration),
      y: h.evaluations.map((e) => f(e) ?? Number.NaN),
    });
    if (scene.histories.length === 1) {
      const h = scene.histories[0];
      series.push({ label: "train", color: SERIES_COLORS[0], ...at(h, (e) => e.trainAccuracy) });
      series.push({ label: "dev", color: SERIES_COLORS[1], ...at(h, (e) => e.devAccuracy) });
      series.push({ label: "test", color: SERIES_COLORS[2], dashed: true, ...at(h, (e) => e.testAccuracy) });
    } else {
      scene.histories.forEach((h, i) => {
        const title = compareTitle(h.key, scene.settings);
        series.push({ label: `${title} train`, color: SERIES_COLORS[i], ...at(h, (e) => e.trainAccuracy) });
        series.push({
          label: `${title} test`,
          color: SERIES_COLORS[i],
          dashed: true,
          ...at(h, (e) => e.testAccuracy),
        });
      });
    }
    const drawn = series.filter((s) => Array.prototype.some.call(s.y, Number.isFinite));
    const it = Math.max(0, ...scene.snaps.map((m) => m.iteration));
    drawCurves(
      $("acc-curves") as HTMLCanvasElement,
      drawn,
      Math.max(100, Math.ceil(it * 1.15)),
      [],
      "accuracy",
    );
    const ul = $("acc-legend");
    const key = drawn.map((s) => s.label).join("|");
    if (ul.dataset.key === key) return;
    ul.dataset.key = key;
    ul.replaceChildren(
      ...drawn.map((s) => {
        const li = document.createElement("li");
        const sw = document.createElement("span");
        sw.className = "swatch";
        sw.style.borderTopColor = s.color;
        if (s.dashed) sw.style.borderTopStyle = "dashed";
        li.append(sw, s.label);
        return li;
      }),
    );
  }

  private confusion(snap: ModelSnapshot): void {
    const table = $("confusion") as HTMLTableElement;
    const K = snap.classes;
    const c = snap.confusion;
    const names = this.scene?.classes ?? DIGIT_NAMES;
    if (!c || K > 20) {
      table.replaceChildren();
      table.dataset.names = "";
      return;
    }
    if (table.dataset.names !== names.join("|")) {
      table.dataset.names = names.join("|");
      const cell = (tag: string, scope: string, text: string) => {
        const e = document.createElement(tag);
        e.setAttribute("scope", scope);
        e.textContent = text;
        return e;
      };
      const caption = document.createElement("caption");
      caption.className = "visually-hidden";
      caption.textContent = "Test examples: true class by row, predicted class by column";
      const head = document.createElement("thead");
      const hr = document.createElement("tr");
      const corner = cell("th", "col", "");
      corner.innerHTML = '<span class="visually-hidden">true class</span>';
      hr.append(corner, ...names.slice(0, K).map((n) => cell("th", "col", n)));
      head.append(hr);
      const body = document.createElement("tbody");
      for (let r = 0; r < K; r++) {
        const tr = document.createElement("tr");
        tr.append(cell("th", "row", names[r] ?? String(r)));
        for (let k = 0; k < K; k++) tr.append(document.createElement("td"));
        body.append(tr);
      }
      table.replaceChildren(caption, head, body);
      this.counts = undefined;
    }
    // The counts change once per evaluation: between them the cells stay as they are.
    if (this.counts?.length === c.length && this.counts.every((v, i) => v === c[i])) return;
    this.counts = c;
    for (let r = 0; r < K; r++) {
      let total = 0;
      for (let k = 0; k < K; k++) total += c[r * K + k];
      const row = table.tBodies[0].rows[r];
      for (let k = 0; k < K; k++) {
        const v = c[r * K + k];
        const cell = row.cells[k + 1];
        const text = v === 0 ? "" : String(v);
        if (cell.textContent !== text) cell.textContent = text;
        const share = total > 0 ? v / total : 0;
        // Correct answers in blue, mistakes in orange, deeper for a larger share of the row.
        const hue = r === k ? "33, 102, 172" : "230, 97, 1";
        // At most 60 % strength, so the dark counts stay readable on every shade.
        cell.style.background = v === 0 ? "" : `rgba(${hue}, ${0.1 + 0.5 * share})`;
      }
    }
  }

  private strip(snap: ModelSnapshot): void {
    const canvas = $("strip") as HTMLCanvasElement;
    const note = $("strip-note");
    const x = snap.strip;
    const on = this.scene?.settings.augment.length ?? 0;
    canvas.hidden = !x;
    note.textContent = x
      ? "The first 8 digits of the batch just trained on, as augmented."
      : on > 0
        ? "Press Play: the batch's augmented digits show here."
        : "Turn on an augmentation to see the batch's digits as the network gets them.";
    if (!x) {
      delete canvas.dataset.signature;
      return;
    }
    const shape = this.scene?.shape ?? DIGIT;
    const size = shape.height * shape.width * shape.channels;
    const n = x.length / size;
    const scale = shape.width <= SIDE ? 2 : 1;
    const width = n * (shape.width * scale + 4);
    if (canvas.width !== width || canvas.height !== shape.height * scale) {
      canvas.width = width;
      canvas.height = shape.height * scale;
    }
    const ctx = canvas.getContext("2d")!;
    const img = ctx.createImageData(canvas.width, canvas.height);
    for (let k = 0; k < n; k++)
      paintImage(img, x.subarray(k * size, (k + 1) * size), shape, k * (shape.width * scale + 4), 0, scale);
    ctx.putImageData(img, 0, 0);
    // A fingerprint the tests read: the strip's pixels changed.
    let h = 0;
    for (let i = 0; i < x.length; i += 7) h = (h * 31 + Math.round(x[i] * 255)) | 0;
    canvas.dataset.signature = String(h);
  }

  private gallery(snap: ModelSnapshot, test: Dataset | undefined): void {
    const host = $("gallery");
    const wrong = snap.misclassified;
    const key = wrong ? Array.from(wrong).join(",") : "";
    if (key === this.galleryKey) return;
    this.galleryKey = key;
    const shape = test?.shape;
    if (!wrong || !test || !shape) {
      host.replaceChildren();
      $("gallery-note").textContent = "";
      return;
    }
    const names = this.scene?.classes ?? DIGIT_NAMES;
    const name = (k: number) => names[k] ?? String(k);
    const drawable = shape.height === SIDE && shape.width === SIDE && shape.channels === 1;
    const items: HTMLElement[] = [];
    for (let i = 0; i < wrong.length; i += 2) {
      const j = wrong[i];
      const set = snap.confusionOf ?? "test";
      const predicted = wrong[i + 1];
      const x = column(test, j);
      const b = document.createElement("button");
      b.type = "button";
      b.className = "mistake";
      const truth = name(test.y[j]);
      const guess = name(predicted);
      b.setAttribute("aria-label", `${truth}→${guess}: ${set} example ${j}, a ${truth} taken for a ${guess}`);
      b.title = `a ${truth} taken for a ${guess}`;
      // The thumbnails' canvases are kept: a new canvas and context for each costs more than painting.
      this.thumbs[i / 2] ??= document.createElement("canvas");
      const c = this.thumbs[i / 2];
      if (c.width !== shape.width || c.height !== shape.height) {
        c.width = shape.width;
        c.height = shape.height;
      }
      const ctx = c.getContext("2d")!;
      const img = ctx.createImageData(shape.width, shape.height);
      paintImage(img, x, shape, 0, 0, 1);
      ctx.putImageData(img, 0, 0);
      const label = document.createElement("span");
      label.textContent = `${truth}→${guess}`;
      b.append(c, label);
      if (drawable)
        b.addEventListener("click", () => {
          this.current = x;
          this.pad.show(x);
          $("seen-note").textContent = `test digit ${j}: a ${test.y[j]}, taken for a ${predicted}`;
          this.ask();
        });
      items.push(b);
    }
    host.replaceChildren(...items);
    $("gallery-note").textContent =
      items.length === 0
        ? "No test digit is misclassified."
        : `The first ${items.length} misclassified test examples (true → predicted)${drawable ? ". Click one for its probabilities" : ""}.`;
  }

  private units(scene: DigitsScene): void {
    const snaps = scene.snaps;
    const shape = scene.shape;
    if (!shape) return;
    // The weights change only with a new snapshot: between them nothing to repaint.
    if (snaps === this.unitsOf) return;
    const now = performance.now();
    if (scene.playing && now - this.unitsAt < UNITS_MS) return;
    this.unitsOf = snaps;
    this.unitsAt = now;
    const { height: H, width: Wd, channels: C } = shape;
    const size = H * Wd * C;
    const compare = snaps.length > 1;
    const per = compare ? UNITS_COMPARE : UNITS_ONE;
    const filters = snaps[0]?.filters;
    const cols = filters
      ? Math.min(snaps[0].sizes[1], compare ? UNITS_COMPARE : Math.floor(900 / (8 * filters.size + 2)))
      : compare
        ? UNITS_COMPARE
        : Math.max(4, Math.floor(900 / (Wd + 2)));
    // A convolution's filters are a few pixels wide: drawn larger than a dense unit's whole image.
    const scale = filters ? (compare ? 4 : 8) : !compare && Wd <= SIDE ? 2 : 1;
    const rows: UnitTile[][] = snaps.map((m) => {
      const f = m.filters;
      const count = Math.min(per, m.sizes[1] ?? 0);
      return Array.from({ length: count }, (_, u) =>
        f
          ? {
              weights: m.weights[0],
              offset: u,
              step: m.sizes[1],
              height: f.size,
              width: f.size,
              channels: f.channels,
            }
          : { weights: m.weights[0], offset: u * size, step: 1, height: H, width: Wd, channels: C },
      );
    });
    this.painter.paint($("units") as HTMLCanvasElement, rows, cols, scale);
    $("units-note").textContent = compare
      ? `The first ${per} ${filters ? "convolution filters" : "units"} of each model, one row each: ${snaps.map((m) => compareTitle(m.key, scene.settings)).join(", ")}. Blue: excited by ink there; orange: inhibited (each scaled to its largest weight).`
      : filters
        ? `Each of the ${snaps[0].sizes[1]} convolution filters (${filters.size} × ${filters.size}) the first layer slides over the image. Blue: excited by ink there; orange: inhibited (each filter scaled to its largest weight).`
        : `Each hidden unit's ${size} input weights as an image. Blue: excited by ink there; orange: inhibited (each unit scaled to its largest weight).`;
  }
}
