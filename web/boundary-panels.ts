/**
 * The decision-boundary panels: one canvas per model (three when comparing), each with its caption,
 * rebuilt only when the models change. Hovering shows the point and the probability drawn there;
 * a click goes back to the page (to add a point).
 */
import type { View } from "../src/plot/view.js";
import { percent } from "./accuracy-table.js";
import type { RunData } from "./data.js";
import { $ } from "./dom.js";
import type { GridSpec, ModelSnapshot } from "./protocol.js";
import { BoundaryView } from "./render/boundary.js";
import type { Settings } from "./state.js";

export interface PanelsScene {
  readonly snaps: readonly ModelSnapshot[];
  readonly data: RunData;
  readonly view: View;
  readonly grid: GridSpec | undefined;
  readonly settings: Settings;
  readonly playing: boolean;
}

interface Panel {
  readonly root: HTMLElement;
  readonly view: BoundaryView;
  readonly caption: HTMLElement;
  /** What the canvas shows now: redrawn only when one of these changes. */
  drawn?: { grid: unknown; settings: Settings; data: RunData; playing: boolean; w: number; h: number };
}

export class BoundaryPanels {
  private panels: Panel[] = [];
  private drawn: PanelsScene | undefined;
  private drawnView: View | undefined;

  constructor(private readonly click: (view: BoundaryView, e: MouseEvent) => void) {}

  /** One panel per title ("" for a single model), shaped `aspect` (width / height). */
  build(titles: readonly string[], aspect: number): void {
    const host = $("boundaries");
    const same =
      this.panels.length === titles.length && this.panels.every((p, i) => p.root.dataset.title === titles[i]);
    if (same) {
      for (const p of this.panels) p.view.canvas.style.aspectRatio = String(aspect);
      return;
    }
    this.panels = titles.map((title, i) => this.panel(title, i, aspect));
    host.replaceChildren(...this.panels.map((p) => p.root));
    host.classList.toggle("compare", titles.length > 1);
    document.querySelector(".layout")?.classList.toggle("compare", titles.length > 1);
  }

  /** New titles for the same panels (a live λ or keepProb in compare mode): no canvas is rebuilt. */
  retitle(titles: readonly string[]): void {
    this.panels.forEach((p, i) => {
      const title = titles[i] ?? "";
      p.root.dataset.title = title;
      p.view.canvas.setAttribute("aria-label", `Decision boundary${title ? `: ${title}` : ""}`);
    });
  }

  draw(scene: PanelsScene): void {
    this.drawnView = this.drawn?.view;
    this.drawn = scene;
    const { snaps, data, grid, settings: s } = scene;
    const addedFrom = data.train.X.cols - s.added.length;
    this.panels.forEach((panel, i) => {
      const snap = snaps[i];
      const canvas = panel.view.canvas;
      const now = {
        grid: snap?.grid,
        settings: s,
        data,
        playing: scene.playing,
        w: canvas.clientWidth,
        h: canvas.clientHeight,
      };
      const was = panel.drawn;
      // Snapshots without a new grid (big networks) leave the picture as it is.
      const same =
        was !== undefined &&
        (Object.keys(now) as (keyof typeof now)[]).every((k) => was[k] === now[k]) &&
        scene.view === this.drawnView;
      panel.drawn = now;
      if (snaps.length > 1 && snap) {
        const acc = snap.test ? ` · test ${percent(snap.test)}` : "";
        panel.caption.textContent = `${panel.root.dataset.title} — train ${percent(snap.train)}${acc}`;
      }
      if (same) return;
      panel.view.draw({
        view: scene.view,
        pitch: data.pitch,
        ...(grid && snap?.grid && { grid: { values: snap.grid, nx: grid.nx, ny: grid.ny } }),
        mode: s.heatmap,
        train: data.train,
        ...(data.dev && { dev: data.dev }),
        ...(data.test && { test: data.test }),
        showTest: s.showTest,
        addedFrom: s.devFraction > 0 ? Number.POSITIVE_INFINITY : addedFrom,
        ...(!grid && { message: `${data.train.X.rows} features: no 2-D boundary to draw` }),
        quality: scene.playing ? "draft" : "full",
      });
    });
  }

  private panel(title: string, i: number, aspect: number): Panel {
    const root = document.createElement("figure");
    root.className = "boundary";
    root.dataset.title = title;
    const canvas = document.createElement("canvas");
    canvas.className = "boundary-canvas";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `Decision boundary${title ? `: ${title}` : ""}`);
    canvas.style.aspectRatio = String(aspect);
    canvas.dataset.model = String(i);
    const caption = document.createElement("figcaption");
    root.append(canvas, caption);
    const view = new BoundaryView(canvas);
    canvas.addEventListener("mousemove", (e) => this.hover(view, i, e));
    canvas.addEventListener("mouseleave", () => {
      $("hover").textContent = "";
    });
    canvas.addEventListener("click", (e) => this.click(view, e));
    return { root, view, caption };
  }

  private hover(view: BoundaryView, i: number, e: MouseEvent): void {
    const rect = (e.target as HTMLElement).getBoundingClientRect();
    const { x, y } = view.toData(e.clientX - rect.left, e.clientY - rect.top);
    const g = this.drawn?.grid;
    const values = this.drawn?.snaps[i]?.grid;
    let p = "";
    if (g && values) {
      const ci = Math.floor(((x - g.view.xMin) / (g.view.xMax - g.view.xMin)) * g.nx);
      const cj = Math.floor(((y - g.view.yMin) / (g.view.yMax - g.view.yMin)) * g.ny);
      if (ci >= 0 && ci < g.nx && cj >= 0 && cj < g.ny)
        p = ` · P(class 1) = ${values[cj * g.nx + ci].toFixed(3)}`;
    }
    $("hover").textContent = `x₁ = ${x.toFixed(3)}, x₂ = ${y.toFixed(3)}${p}`;
  }
}
