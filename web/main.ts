/**
 * The playground page: settings (from the URL) → data → the training worker → snapshots drawn
 * once per animation frame. No training happens here.
 */
import type { DataBundle } from "../src/data/dataset.js";
import { DATASETS, isDatasetName } from "../src/data/generators.js";
import { wilsonInterval } from "../src/experiments/stats.js";
import type { View } from "../src/plot/view.js";
import { Controls } from "./controls.js";
import { buildRunData, parseDataFile, pitchAspect, type RunData, viewFor } from "./data.js";
import { boundarySvg, download, downloadCanvas } from "./exports.js";
import { historyCsv, ModelHistory } from "./history.js";
import { COMPARE_TITLES, modelSpecs } from "./models.js";
import type { FromWorker, GridSpec, ModelSnapshot, Score, ToWorker, UnitRef } from "./protocol.js";
import { BoundaryView } from "./render/boundary.js";
import { ACTIVATION_LUT, PROBABILITY_LUT, SERIES_COLORS } from "./render/colors.js";
import { type CurveMarker, type CurveSeries, drawCurves } from "./render/curves.js";
import { drawUnitMap, NetworkView } from "./render/network.js";
import {
  cliArgsOf,
  describeRun,
  MAX_ADDED,
  normalize,
  parseSettings,
  roundCoordinate,
  runConfigOf,
  type Settings,
  serializeSettings,
  usesDefaultData,
} from "./state.js";

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el as T;
};

const PLANE_ASPECT = 1.5;
const VIEW_KEYS = new Set<keyof Settings>(["heatmap", "showTest"]);

interface Panel {
  readonly root: HTMLElement;
  readonly view: BoundaryView;
  readonly caption: HTMLElement;
}

class App {
  private settings: Settings;
  private file: DataBundle | undefined;
  private data: RunData | undefined;
  private view: View = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  private grid: GridSpec | undefined;
  private readonly worker: Worker;
  private runId = 0;
  /** What the user asked for: keep training (until the run ends). */
  private playing = false;
  private histories: ModelHistory[] = [];
  private latest: ModelSnapshot[] = [];
  private dirty = false;
  private panels: Panel[] = [];
  private readonly controls: Controls;
  private readonly network: NetworkView;
  private selected: UnitRef | null = null;
  private lastNetworkDraw = 0;
  private networkDrawMs = 0;
  private accuracyHtml = "";
  private addMode: "off" | "0" | "1" = "off";
  private notices = new Map<string, string>();
  private requestId = 0;
  private readonly pending = new Map<number, (json: string) => void>();

  constructor() {
    const parsed = parseSettings(location.hash);
    this.settings = parsed.settings;
    if (this.settings.dataset === "file") {
      const name = this.settings.fileName || "a file";
      parsed.warnings.push(`this link trained on ${name}; load it again (drop or pick) to use it`);
      this.settings.dataset = "football";
      Object.assign(this.settings, this.presetData("football"));
    }
    if (parsed.warnings.length > 0) this.notices.set("url", `Link: ${parsed.warnings.join("; ")}`);
    this.controls = new Controls($("controls"), { change: (patch) => this.change(patch) });
    this.network = new NetworkView($("network"));
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => this.notice("worker", `The training worker failed: ${e.message}`);
    this.bind();
    this.writeUrl();
    this.controls.render(this.settings);
    this.setup();
    const frame = () => {
      if (this.dirty) {
        this.dirty = false;
        this.render();
        this.post({ type: "ack" });
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    document.body.dataset.ready = "true";
  }

  private post(msg: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private presetData(name: keyof typeof DATASETS): Partial<Settings> {
    const d = DATASETS[name].defaults;
    return { points: d.n, noise: d.noise, testFraction: d.testFraction, dataSeed: d.seed, added: [] };
  }

  // --- Settings ------------------------------------------------------------------------------

  change(patch: Partial<Settings>): void {
    if (patch.dataset && patch.dataset !== this.settings.dataset && isDatasetName(patch.dataset)) {
      patch = { ...this.presetData(patch.dataset), ...patch };
    }
    const next: Settings = { ...this.settings, ...patch };
    const fixes = normalize(next);
    if (fixes.length > 0) this.notice("settings", fixes.join("; "));
    const keys = Object.keys(patch) as (keyof Settings)[];
    this.settings = next;
    this.writeUrl();
    this.controls.render(next);
    if (keys.every((k) => VIEW_KEYS.has(k))) {
      this.dirty = true;
      return;
    }
    this.setup();
  }

  private writeUrl(): void {
    const hash = `#${serializeSettings(this.settings)}`;
    if (location.hash !== hash) history.replaceState(null, "", hash);
    const cli = $("cli");
    cli.textContent =
      this.settings.dataset === "file" || usesDefaultData(this.settings)
        ? `reglab train ${cliArgsOf(this.settings).join(" ")} --json`
        : "The CLI's --dataset uses each dataset's default points, noise, test share and seed, and has no added points; reset those to get a command line.";
  }

  // --- Runs ----------------------------------------------------------------------------------

  /** Builds the data and starts a new run in the worker (keeping play/pause as it was). */
  private setup(): void {
    const s = this.settings;
    try {
      this.data = buildRunData(s, this.file);
      this.notices.delete("data");
    } catch (e) {
      this.notice("data", (e as Error).message);
      return;
    }
    const data = this.data;
    const two = data.train.X.rows === 2;
    // Built-in planes are shown 3:2, like the pitch, so the page keeps its shape between datasets.
    this.view = viewFor(data, PLANE_ASPECT);
    const aspect = data.pitch ? pitchAspect(this.view) : PLANE_ASPECT;
    const nx = 96;
    this.grid = two ? { view: this.view, nx, ny: Math.max(8, Math.round(nx / aspect)) } : undefined;
    const models = modelSpecs(s);
    if (s.earlyStopping && !data.dev) {
      this.notice("es", "Early stopping needs a dev set: set a dev share above 0.");
    } else this.notices.delete("es");
    this.runId++;
    this.histories = models.map((m) => new ModelHistory(m.key, m.name));
    this.latest = [];
    this.selected = null;
    this.buildPanels(
      models.map((m) => (s.compare ? (COMPARE_TITLES[m.key] ?? m.name) : "")),
      aspect,
    );
    this.post({
      type: "setup",
      runId: this.runId,
      data: { train: data.train, ...(data.dev && { dev: data.dev }), ...(data.test && { test: data.test }) },
      config: runConfigOf(s),
      models,
      earlyStopping: { enabled: s.earlyStopping, patience: s.patience },
      ...(this.grid && { grid: this.grid }),
    });
    if (this.playing) this.post({ type: "play" });
    this.describeData();
    $("summary").textContent = describeRun(s, data.train.X.rows);
    this.renderExportChoices(models.map((m) => m.name));
    this.setState();
  }

  private describeData(): void {
    const d = this.data;
    if (!d) return;
    const n = (x: { X: { cols: number } } | undefined) => (x ? x.X.cols : 0);
    const parts = [`${n(d.train)} training`];
    if (d.dev) parts.push(`${n(d.dev)} dev`);
    if (d.test) parts.push(`${n(d.test)} test`);
    const source =
      this.settings.dataset === "file" ? d.source : (DATASETS[this.settings.dataset]?.description ?? "");
    const added = this.settings.added.length > 0 ? ` · ${this.settings.added.length} added by clicking` : "";
    $("data-status").textContent =
      `${parts.join(" · ")} examples, ${d.train.X.rows} features${added}. ${source}`;
    document.body.dataset.examples = `${n(d.train)},${n(d.dev)},${n(d.test)}`;
    $("stage").classList.toggle("has-dev", Boolean(d.dev));
  }

  private buildPanels(titles: string[], aspect: number): void {
    const host = $("boundaries");
    const same =
      this.panels.length === titles.length && this.panels.every((p, i) => p.root.dataset.title === titles[i]);
    if (same) {
      for (const p of this.panels) p.view.canvas.style.aspectRatio = String(aspect);
      return;
    }
    this.panels = titles.map((title, i) => {
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
      canvas.addEventListener("click", (e) => this.addPoint(view, e));
      return { root, view, caption };
    });
    host.replaceChildren(...this.panels.map((p) => p.root));
    host.classList.toggle("compare", titles.length > 1);
    document.querySelector(".layout")?.classList.toggle("compare", titles.length > 1);
    $("network-panel").hidden = titles.length > 1;
  }

  private receive(msg: FromWorker): void {
    if (msg.type === "model") {
      this.pending.get(msg.requestId)?.(msg.json);
      this.pending.delete(msg.requestId);
      return;
    }
    if (msg.type === "error") {
      if (msg.runId === this.runId) {
        this.playing = false;
        this.notice("run", msg.message);
        this.setState();
      }
      return;
    }
    if (msg.runId !== this.runId) {
      this.post({ type: "ack" });
      return;
    }
    for (const [i, m] of msg.models.entries()) this.histories[i]?.append(m.history);
    // A snapshot without a grid (big networks) keeps showing the previous one.
    this.latest = msg.models.map((m, i) => {
      const prev = this.latest[i];
      if (m.grid || !prev?.grid) return m;
      return { ...m, grid: prev.grid, ...(!m.unit && prev.unit && { unit: prev.unit }) };
    });
    document.body.dataset.running = String(msg.running);
    document.body.dataset.iteration = String(Math.max(0, ...msg.models.map((m) => m.iteration)));
    if (!msg.running && this.playing && msg.models.every((m) => m.done)) this.playing = false;
    const problems = msg.models.filter((m) => m.error).map((m) => `${m.name}: ${m.error}`);
    if (problems.length > 0) {
      this.notice("run", problems.join("; "));
      this.playing = false;
    } else this.notices.delete("run");
    this.dirty = true;
    this.setState();
  }

  // --- Drawing -------------------------------------------------------------------------------

  private render(): void {
    const snaps = this.latest;
    const data = this.data;
    if (!data) return;
    const s = this.settings;
    const first = snaps[0];
    $("iteration").textContent = String(first ? Math.max(...snaps.map((m) => m.iteration)) : 0);
    $("rate").textContent = first ? String(Math.round(first.rate)) : "0";
    if (first) {
      $("rate").title = first.kernels === "wasm" ? "on WebAssembly SIMD" : "on JavaScript";
      document.body.dataset.kernels = first.kernels;
    }
    const grid = this.grid;
    const addedFrom = data.train.X.cols - s.added.length;
    this.panels.forEach((panel, i) => {
      const snap = snaps[i];
      panel.view.draw({
        view: this.view,
        pitch: data.pitch,
        ...(grid && snap?.grid && { grid: { values: snap.grid, nx: grid.nx, ny: grid.ny } }),
        mode: s.heatmap,
        train: data.train,
        ...(data.dev && { dev: data.dev }),
        ...(data.test && { test: data.test }),
        showTest: s.showTest,
        addedFrom: s.devFraction > 0 ? Number.POSITIVE_INFINITY : addedFrom,
        ...(!grid && { message: `${data.train.X.rows} features: no 2-D boundary to draw` }),
        quality: this.playing ? "draft" : "full",
      });
      if (snaps.length > 1 && snap) {
        const acc = snap.test ? ` · test ${pct(snap.test)}` : "";
        panel.caption.textContent = `${panel.root.dataset.title} — train ${pct(snap.train)}${acc}`;
      }
    });
    this.renderCurves();
    this.renderAccuracy();
    if (snaps.length === 1 && first) this.renderNetwork(first);
    this.renderNotices(snaps);
  }

  private renderCurves(): void {
    const s = this.settings;
    const series: CurveSeries[] = [];
    const markers: CurveMarker[] = [];
    const hs = this.histories;
    const legend: Array<{ label: string; color: string; dashed?: boolean }> = [];
    const add = (c: CurveSeries) => {
      series.push(c);
      legend.push({ label: c.label, color: c.color, ...(c.dashed && { dashed: true }) });
    };
    const ev = (h: ModelHistory, f: (e: ModelHistory["evaluations"][number]) => number | undefined) => ({
      x: h.evaluations.map((e) => e.iteration),
      y: h.evaluations.map((e) => f(e) ?? Number.NaN),
    });
    if (hs.length === 1) {
      const h = hs[0];
      add({ label: "cost (objective)", color: "#222", width: 1.1, x: h.costIterations, y: h.costs });
      add({ label: "train", color: SERIES_COLORS[0], ...ev(h, (e) => e.trainLoss) });
      if (this.data?.dev) add({ label: "dev", color: SERIES_COLORS[1], ...ev(h, (e) => e.devLoss) });
      if (this.data?.test)
        add({ label: "test", color: SERIES_COLORS[2], dashed: true, ...ev(h, (e) => e.testLoss) });
      const best = this.latest[0]?.bestIteration;
      if (best !== undefined && this.latest[0]?.done) markers.push({ x: best, label: `best dev (${best})` });
    } else {
      hs.forEach((h, i) => {
        const color = SERIES_COLORS[i];
        const title = COMPARE_TITLES[h.key] ?? h.name;
        add({ label: `${title} train`, color, ...ev(h, (e) => e.trainLoss) });
        if (this.data?.test)
          add({ label: `${title} test`, color, dashed: true, ...ev(h, (e) => e.testLoss) });
      });
    }
    // The axis grows with the run (a 10-million-iteration run still shows its first thousand),
    // and ends where training ended.
    const at = Math.max(0, ...this.latest.map((m) => m.iteration));
    const done = this.latest.length > 0 && this.latest.every((m) => m.done);
    const xMax = done ? Math.max(1, at) : Math.min(s.iterations, Math.max(100, Math.ceil(at * 1.25)));
    drawCurves($("curves"), series, xMax, markers);
    const ul = $("curve-legend");
    const key = legend.map((l) => l.label).join("|");
    if (ul.dataset.key !== key) {
      ul.dataset.key = key;
      ul.replaceChildren(
        ...legend.map((l) => {
          const li = document.createElement("li");
          const sw = document.createElement("span");
          sw.className = "swatch";
          sw.style.borderTopColor = l.color;
          if (l.dashed) sw.style.borderTopStyle = "dashed";
          li.append(sw, l.label);
          return li;
        }),
      );
      ul.title =
        "cost: the training objective as reglab train records it (this step's dropout, plus the L2 term); train, dev, test: cross-entropy of the current weights, no dropout, no L2";
    }
  }

  private renderAccuracy(): void {
    const table = $("accuracy") as HTMLTableElement;
    const snaps = this.latest;
    if (snaps.length === 0) return;
    const sets: Array<["train" | "dev" | "test", string]> = [["train", "Train"]];
    if (snaps[0].dev) sets.push(["dev", "Dev"]);
    if (snaps[0].test) sets.push(["test", "Test"]);
    let html: string;
    if (snaps.length === 1) {
      // One row per set: n, accuracy, interval.
      const m = snaps[0];
      html =
        '<thead><tr><th scope="col">Set</th><th scope="col">n</th><th scope="col">Accuracy</th><th scope="col">95 % interval</th></tr></thead><tbody>' +
        sets
          .map(([k, label]) => {
            const s = m[k];
            return `<tr><th scope="row">${label}</th><td>${s?.n ?? 0}</td>${scoreCells(s)}</tr>`;
          })
          .join("") +
        "</tbody>";
    } else {
      // One row per model, one column per set, the interval under each accuracy.
      html =
        `<thead><tr><th scope="col">Model</th>${sets
          .map(([k, label]) => `<th scope="col">${label} <small>n = ${snaps[0][k]?.n ?? 0}</small></th>`)
          .join("")}</tr></thead><tbody>` +
        snaps
          .map((m) => {
            const cells = sets.map(([k]) => `<td>${stackedScore(m[k])}</td>`).join("");
            return `<tr><th scope="row">${COMPARE_TITLES[m.key] ?? m.name}</th>${cells}</tr>`;
          })
          .join("") +
        "</tbody>";
    }
    if (this.accuracyHtml !== html) {
      this.accuracyHtml = html;
      table.innerHTML = html;
    }
  }

  private renderNetwork(snap: ModelSnapshot): void {
    const now = performance.now();
    // While training, a big network (thousands of lines) redraws only as often as keeps its
    // drawing under a tenth of the page's time.
    if (this.playing && now - this.lastNetworkDraw < 10 * this.networkDrawMs) return;
    this.lastNetworkDraw = now;
    this.network.draw({
      sizes: snap.sizes,
      weights: snap.weights,
      ...(snap.dropped && { dropped: snap.dropped }),
      selected: this.selected,
      activation: this.settings.activation,
    });
    this.networkDrawMs = performance.now() - now;
    $("network-note").textContent = snap.dropped
      ? "line width ∝ |w| · dimmed: dropped for the first example of the last step"
      : "line width ∝ |w|, blue +, orange −";
    const unit = $("unit");
    const sel = this.selected;
    if (
      !sel ||
      !snap.unit ||
      !this.grid ||
      snap.unit.ref.layer !== sel.layer ||
      snap.unit.ref.index !== sel.index
    ) {
      unit.hidden = !sel || !this.grid;
      return;
    }
    unit.hidden = false;
    const L = snap.sizes.length - 1;
    // Keep the map clear of the unit: on the far side of the drawing.
    unit.classList.toggle("left", sel.layer > L / 2);
    const kind = sel.layer === L ? "probability" : "signed";
    drawUnitMap(
      $("unit-map"),
      snap.unit.values,
      this.grid.nx,
      this.grid.ny,
      kind,
      kind === "probability" ? PROBABILITY_LUT : ACTIVATION_LUT,
    );
    $("unit-caption").textContent =
      sel.layer === 0
        ? `input x${sub(sel.index + 1)}`
        : sel.layer === L
          ? "output: P(class 1)"
          : `layer ${sel.layer}, unit ${sel.index + 1} (${this.settings.activation})`;
  }

  private renderNotices(snaps: ModelSnapshot[]): void {
    const done = snaps.filter((m) => m.stopReason);
    if (done.length > 0) {
      this.notices.set(
        "stop",
        done
          .map(
            (m) =>
              `${snaps.length > 1 ? `${m.name}: ` : ""}${m.stopReason}${m.bestIteration !== undefined ? ` — kept the weights of iteration ${m.bestIteration}` : ""}`,
          )
          .join("; "),
      );
    } else this.notices.delete("stop");
    this.showNotices();
  }

  private notice(key: string, text: string): void {
    this.notices.set(key, text);
    this.showNotices();
  }

  private showNotices(): void {
    const el = $("notice");
    const text = [...this.notices.values()].join(" · ");
    if (el.textContent !== text) el.textContent = text;
    el.hidden = text === "";
  }

  private setState(): void {
    const done = this.latest.length > 0 && this.latest.every((m) => m.done);
    const state = this.playing ? "playing" : done ? "done" : "paused";
    document.body.dataset.state = state;
    const play = $("play");
    play.classList.toggle("playing", this.playing);
    play.setAttribute("aria-label", this.playing ? "Pause" : "Play");
    play.setAttribute("aria-pressed", String(this.playing));
  }

  private renderExportChoices(names: string[]): void {
    const select = $("export-model") as HTMLSelectElement;
    (select.parentElement as HTMLElement).hidden = names.length < 2;
    select.replaceChildren(
      ...names.map((n, i) => {
        const o = document.createElement("option");
        o.value = String(i);
        o.textContent = n;
        return o;
      }),
    );
  }

  // --- Interaction ---------------------------------------------------------------------------

  private togglePlay(): void {
    if (this.playing) {
      this.playing = false;
      this.post({ type: "pause" });
    } else {
      if (this.latest.length > 0 && this.latest.every((m) => m.done)) this.setup();
      this.playing = true;
      this.post({ type: "play" });
    }
    this.setState();
  }

  private hover(view: BoundaryView, i: number, e: MouseEvent): void {
    const rect = (e.target as HTMLElement).getBoundingClientRect();
    const { x, y } = view.toData(e.clientX - rect.left, e.clientY - rect.top);
    const g = this.grid;
    const snap = this.latest[i];
    let p = "";
    if (g && snap?.grid) {
      const ci = Math.floor(((x - g.view.xMin) / (g.view.xMax - g.view.xMin)) * g.nx);
      const cj = Math.floor(((y - g.view.yMin) / (g.view.yMax - g.view.yMin)) * g.ny);
      if (ci >= 0 && ci < g.nx && cj >= 0 && cj < g.ny)
        p = ` · P(class 1) = ${snap.grid[cj * g.nx + ci].toFixed(3)}`;
    }
    $("hover").textContent = `x₁ = ${x.toFixed(3)}, x₂ = ${y.toFixed(3)}${p}`;
  }

  private addPoint(view: BoundaryView, e: MouseEvent): void {
    if (this.addMode === "off" || !this.data || this.data.train.X.rows !== 2) return;
    const s = this.settings;
    if (s.added.length >= MAX_ADDED) {
      this.notice("add", `at most ${MAX_ADDED} added points`);
      return;
    }
    const rect = (e.target as HTMLElement).getBoundingClientRect();
    const { x, y } = view.toData(e.clientX - rect.left, e.clientY - rect.top);
    const label = this.addMode === "1" ? 1 : 0;
    this.change({ added: [...s.added, { x: roundCoordinate(x), y: roundCoordinate(y), label }] });
  }

  private async loadFile(file: File): Promise<void> {
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const bundle = await parseDataFile(file.name, bytes);
      this.file = bundle;
      this.controls.setFile(file.name);
      this.notices.delete("file");
      this.notices.delete("url");
      this.change({ dataset: "file", fileName: file.name, added: [] });
    } catch (e) {
      this.notice("file", (e as Error).message);
    }
  }

  private exportIndex(): number {
    return this.latest.length > 1 ? Number(($("export-model") as HTMLSelectElement).value) || 0 : 0;
  }

  private modelJson(index: number): Promise<string> {
    const requestId = ++this.requestId;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.post({ type: "export", requestId, model: index });
    });
  }

  private selectUnit(unit: UnitRef | null): void {
    const same =
      unit && this.selected && unit.layer === this.selected.layer && unit.index === this.selected.index;
    if (same || (!unit && !this.selected)) return;
    this.selected = unit;
    this.post({ type: "watch", unit });
    this.dirty = true;
  }

  private bind(): void {
    $("play").addEventListener("click", () => this.togglePlay());
    $("step").addEventListener("click", () => {
      if (this.latest.length > 0 && this.latest.every((m) => m.done)) return;
      this.playing = false;
      this.post({ type: "step", count: 1 });
      this.setState();
    });
    $("reset").addEventListener("click", () => {
      this.playing = false;
      this.setup();
    });
    document.addEventListener("keydown", (e) => {
      const t = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (t.closest("input, select, textarea, button, summary, [contenteditable]")) return;
      if (e.key === " ") {
        e.preventDefault();
        this.togglePlay();
      } else if (e.key === ".") {
        $("step").click();
      } else if (e.key === "r" || e.key === "R") {
        $("reset").click();
      }
    });
    for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="add"]')) {
      radio.addEventListener("change", () => {
        if (radio.checked) this.addMode = radio.value as "off" | "0" | "1";
        $("boundaries").classList.toggle("adding", this.addMode !== "off");
      });
    }
    $("clear-added").addEventListener("click", () => this.change({ added: [] }));
    const input = $("file") as HTMLInputElement;
    $("pick-file").addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      const f = input.files?.[0];
      if (f) void this.loadFile(f);
      input.value = "";
    });
    const drop = $("drop");
    let depth = 0;
    window.addEventListener("dragenter", (e) => {
      if (!e.dataTransfer?.types.includes("Files")) return;
      depth++;
      drop.hidden = false;
    });
    window.addEventListener("dragleave", () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) drop.hidden = true;
    });
    window.addEventListener("dragover", (e) => e.preventDefault());
    window.addEventListener("drop", (e) => {
      e.preventDefault();
      depth = 0;
      drop.hidden = true;
      const f = e.dataTransfer?.files?.[0];
      if (f) void this.loadFile(f);
    });
    window.addEventListener("hashchange", () => {
      if (location.hash === `#${serializeSettings(this.settings)}`) return;
      const parsed = parseSettings(location.hash);
      if (parsed.settings.dataset === "file" && !this.file) parsed.settings.dataset = this.settings.dataset;
      this.settings = parsed.settings;
      this.writeUrl();
      this.controls.render(this.settings);
      this.setup();
    });
    window.addEventListener("resize", () => {
      this.dirty = true;
    });

    // Exports.
    $("export-json").addEventListener("click", async () => {
      const json = await this.modelJson(this.exportIndex());
      download("reglab-model.json", json, "application/json");
    });
    $("export-png").addEventListener("click", () => {
      const panel = this.panels[this.exportIndex()];
      if (panel) downloadCanvas("reglab-boundary.png", panel.view.canvas);
    });
    $("export-svg").addEventListener("click", async () => {
      const data = this.data;
      if (data?.train.X.rows !== 2) {
        this.notice("export", "the boundary plot needs data with 2 features");
        return;
      }
      const i = this.exportIndex();
      const json = await this.modelJson(i);
      const snap = this.latest[i];
      const title = `Decision boundary${this.latest.length > 1 ? ` — ${snap?.name}` : ""}, iteration ${snap?.iteration ?? 0}`;
      const svg = boundarySvg(
        json,
        { train: data.train, ...(data.test && { test: data.test }) },
        {
          view: this.view,
          pitch: data.pitch,
          mode: this.settings.heatmap,
          showTest: this.settings.showTest,
          title,
        },
      );
      download("reglab-boundary.svg", svg, "image/svg+xml");
    });
    $("export-csv").addEventListener("click", () => {
      download("reglab-history.csv", historyCsv(this.histories), "text/csv");
    });

    // The network: hover or arrow keys pick a unit; its activation map shows beside.
    const canvas = $("network") as HTMLCanvasElement;
    canvas.addEventListener("mousemove", (e) => {
      const rect = canvas.getBoundingClientRect();
      this.selectUnit(this.network.hit(e.clientX - rect.left, e.clientY - rect.top));
    });
    canvas.addEventListener("mouseleave", () => {
      if (document.activeElement !== canvas) this.selectUnit(null);
    });
    canvas.addEventListener("blur", () => this.selectUnit(null));
    canvas.addEventListener("keydown", (e) => {
      const sizes = this.latest[0]?.sizes;
      if (!sizes) return;
      const cur = this.selected ?? { layer: 0, index: 0 };
      let { layer, index } = cur;
      if (e.key === "ArrowRight") layer = Math.min(sizes.length - 1, layer + 1);
      else if (e.key === "ArrowLeft") layer = Math.max(0, layer - 1);
      else if (e.key === "ArrowDown") index++;
      else if (e.key === "ArrowUp") index--;
      else if (e.key === "Escape") {
        this.selectUnit(null);
        return;
      } else return;
      e.preventDefault();
      index = Math.max(0, Math.min(Math.min(sizes[layer], 32) - 1, index));
      this.selectUnit({ layer, index });
    });
    canvas.addEventListener("focus", () => {
      if (!this.selected) this.selectUnit({ layer: 1, index: 0 });
    });
  }
}

function pct(s: Score): string {
  return `${((100 * s.correct) / s.n).toFixed(1)} %`;
}

function interval(s: Score): string {
  const w = wilsonInterval(s.correct, s.n);
  return `[${(100 * w.low).toFixed(1)}, ${(100 * w.high).toFixed(1)}]`;
}

/** Accuracy and interval as two table cells. */
function scoreCells(s: Score | undefined): string {
  if (!s || s.n === 0) return "<td>—</td><td></td>";
  return `<td><strong>${pct(s)}</strong></td><td><small>${interval(s)}</small></td>`;
}

/** Accuracy with its interval underneath, in one cell. */
function stackedScore(s: Score | undefined): string {
  if (!s || s.n === 0) return "—";
  return `<strong>${pct(s)}</strong><br /><small>${interval(s)}</small>`;
}

function sub(n: number): string {
  return String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]);
}

new App();
