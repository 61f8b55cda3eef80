/**
 * The network drawing and the unit it points at: hover or arrow keys pick a unit, whose activation
 * over the plane is drawn beside it. The worker is asked for that unit's map through `onSelect`.
 */
import { $ } from "./dom.js";
import { MAP_NX, MAP_NY, type ModelSnapshot, type UnitRef } from "./protocol.js";
import { ACTIVATION_LUT, PROBABILITY_LUT } from "./render/colors.js";
import { drawUnitMap, NetworkView } from "./render/network.js";

export interface NetworkScene {
  readonly snap: ModelSnapshot;
  /** While training, a big network redraws less often. */
  readonly playing: boolean;
  /** The boundary grid's size (absent without a 2-D plane: no unit map). */
  readonly grid: { readonly nx: number; readonly ny: number } | undefined;
  readonly activation: string;
  /** Which model this is, when there are several (compare mode). */
  readonly title?: string;
  /** The inputs' names (x₁, x₂ and any engineered features). */
  readonly inputs?: readonly string[];
}

function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]);
}

export class NetworkPanel {
  private readonly view: NetworkView;
  private readonly canvas: HTMLCanvasElement;
  private selectedUnit: UnitRef | null = null;
  private lastDraw = 0;
  private drawMs = 0;
  /** Layer sizes of the last drawing, for the arrow keys. */
  private sizes: readonly number[] | undefined;

  constructor(private readonly onSelect: (unit: UnitRef | null) => void) {
    this.canvas = $("network") as HTMLCanvasElement;
    this.view = new NetworkView(this.canvas);
    this.bind();
  }

  get selected(): UnitRef | null {
    return this.selectedUnit;
  }

  /** A new run: nothing selected, without asking the worker (it starts with no unit). */
  reset(): void {
    this.selectedUnit = null;
    this.sizes = undefined;
  }

  draw(scene: NetworkScene): void {
    const { snap } = scene;
    this.sizes = snap.sizes;
    const now = performance.now();
    // While training, a big network (thousands of lines) redraws only as often as keeps its
    // drawing under a tenth of the page's time.
    if (scene.playing && now - this.lastDraw < 10 * this.drawMs) return;
    this.lastDraw = now;
    // Wide layers get a taller drawing: at least 15 px a unit, so the thumbnails stay readable.
    const most = Math.max(...snap.sizes.map((n) => Math.min(n, 32)));
    const height = `${Math.max(220, Math.min(560, most * 15 + 36))}px`;
    if (this.canvas.style.height !== height) this.canvas.style.height = height;
    this.view.draw({
      sizes: snap.sizes,
      weights: snap.weights,
      ...(snap.dropped && { dropped: snap.dropped }),
      ...(snap.maps && { maps: { layers: snap.maps, nx: MAP_NX, ny: MAP_NY } }),
      selected: this.selectedUnit,
      activation: scene.activation,
    });
    this.drawMs = performance.now() - now;
    const note = snap.dropped
      ? "line width ∝ |w| · dimmed: dropped for the first example of the last step"
      : "line width ∝ |w|, blue +, orange −";
    $("network-note").textContent = scene.title
      ? `${scene.title} (chosen beside the exports) · ${note}`
      : note;
    this.drawUnit(scene);
  }

  private drawUnit(scene: NetworkScene): void {
    const { snap, grid, activation } = scene;
    const unit = $("unit");
    const sel = this.selectedUnit;
    if (
      !sel ||
      !snap.unit ||
      !grid ||
      snap.unit.ref.layer !== sel.layer ||
      snap.unit.ref.index !== sel.index
    ) {
      unit.hidden = !sel || !grid;
      return;
    }
    unit.hidden = false;
    const L = snap.sizes.length - 1;
    const kind = sel.layer === L ? "probability" : "signed";
    const lut = kind === "probability" ? PROBABILITY_LUT : ACTIVATION_LUT;
    drawUnitMap($("unit-map"), snap.unit.values, grid.nx, grid.ny, kind, lut);
    $("unit-caption").textContent =
      sel.layer === 0
        ? `input ${scene.inputs?.[sel.index] ?? `x${subscript(sel.index + 1)}`}`
        : sel.layer === L
          ? "output: P(class 1)"
          : `layer ${sel.layer}, unit ${sel.index + 1} (${activation})`;
  }

  private select(unit: UnitRef | null): void {
    const cur = this.selectedUnit;
    const same = unit && cur && unit.layer === cur.layer && unit.index === cur.index;
    if (same || (!unit && !cur)) return;
    this.selectedUnit = unit;
    this.onSelect(unit);
  }

  private bind(): void {
    const canvas = this.canvas;
    canvas.addEventListener("mousemove", (e) => {
      const rect = canvas.getBoundingClientRect();
      this.select(this.view.hit(e.clientX - rect.left, e.clientY - rect.top));
    });
    canvas.addEventListener("mouseleave", () => {
      if (document.activeElement !== canvas) this.select(null);
    });
    canvas.addEventListener("blur", () => this.select(null));
    canvas.addEventListener("keydown", (e) => {
      const sizes = this.sizes;
      if (!sizes) return;
      let { layer, index } = this.selectedUnit ?? { layer: 0, index: 0 };
      if (e.key === "ArrowRight") layer = Math.min(sizes.length - 1, layer + 1);
      else if (e.key === "ArrowLeft") layer = Math.max(0, layer - 1);
      else if (e.key === "ArrowDown") index++;
      else if (e.key === "ArrowUp") index--;
      else if (e.key === "Escape") {
        this.select(null);
        return;
      } else return;
      e.preventDefault();
      index = Math.max(0, Math.min(Math.min(sizes[layer], 32) - 1, index));
      this.select({ layer, index });
    });
    canvas.addEventListener("focus", () => {
      if (!this.selectedUnit) this.select({ layer: 1, index: 0 });
    });
  }
}
