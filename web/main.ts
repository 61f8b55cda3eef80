/**
 * The playground page: settings (from the URL) → data → the training worker → snapshots drawn
 * once per animation frame. No training happens here. The page's rooms: input-binding.ts (what
 * each input does), boundary-panels.ts, curves-panel.ts, network-panel.ts, accuracy-table.ts and
 * notices.ts; this file keeps the run's state and the conversation with the worker.
 */
import { specText } from "../src/core/layers/spec.js";
import type { DataBundle } from "../src/data/dataset.js";
import { DATASETS, isDatasetName } from "../src/data/generators.js";
import { describeConfig } from "../src/experiments/describe-config.js";
import type { View } from "../src/plot/view.js";
import { AccuracyTable } from "./accuracy-table.js";
import { BoundaryPanels } from "./boundary-panels.js";
import { Controls } from "./controls.js";
import { drawCurvesPanel } from "./curves-panel.js";
import { buildRunData, parseDataFile, pitchAspect, type RunData, viewFor } from "./data.js";
import { augmentSpec } from "./digits/augment-kinds.js";
import { loadBundledDigits, MNIST_CREDIT } from "./digits/digits-data.js";
import { DigitsView } from "./digits/digits-view.js";
import {
  CNN_LAYERS,
  cnnLayers,
  cnnTakesLive,
  DIGITS_PRESET,
  digitsLinkDefaults,
  planePreset,
} from "./digits/preset.js";
import { $ } from "./dom.js";
import { boundarySvg, download, svgToPng } from "./exports.js";
import { datasetWithFeatures, inputLabels } from "./features.js";
import { historyCsv, ModelHistory } from "./history.js";
import { type AddMode, bindInputs, type PageActions } from "./input-binding.js";
import { compareStart, compareTitle, modelSpecs, shortConfig } from "./models.js";
import { NetworkPanel } from "./network-panel.js";
import { Notices } from "./notices.js";
import { isPictureFolder, parsePictureFolder } from "./picture-folder.js";
import type { FromWorker, GridSpec, ModelSnapshot, ToWorker } from "./protocol.js";
import type { BoundaryView } from "./render/boundary.js";
import {
  cliArgsOf,
  describeRun,
  LIVE_KEYS,
  MAX_ADDED,
  normalize,
  parseSettings,
  roundCoordinate,
  runConfigOf,
  type Settings,
  serializeSettings,
  settingOf,
  stopOf,
  usesDefaultData,
  VIEW_KEYS,
} from "./state.js";
import { WorkerClient } from "./worker-client.js";

const PLANE_ASPECT = 1.5;
/** While training, the curves, the accuracy table and the network redraw at most this often. */
const SECONDARY_MS = 100;

/** How the page names a setting when saying why a run started over. */
const NAMES: Partial<Record<keyof Settings, string>> = {
  dataset: "the dataset",
  fileName: "the file",
  points: "the number of points",
  noise: "the noise",
  testFraction: "the test share",
  dataSeed: "the data seed",
  devFraction: "the dev share",
  splitSeed: "the split seed",
  features: "the input features",
  hidden: "the layers",
  net: "the network (dense or CNN)",
  activation: "the activation",
  init: "the initialization",
  seed: "the random seed",
  batchSize: "the batch size",
  costEvery: "how often the cost is recorded",
  earlyStopping: "early stopping",
  patience: "the patience",
  compare: "compare mode",
  dropoutMasks: "the mask policy (compare mode)",
  // Live for a dense network; a CNN starts over for them.
  lambda: "λ",
  keepProb: "keepProb",
  learningRate: "the learning rate",
  lrDecay: "the learning-rate decay",
  optimizer: "the optimizer",
  table: "the regularizers' settings",
};

interface SetupOptions {
  /** Go on from the current weights (only the examples changed). */
  carry?: boolean;
  /** Keep the plot's axes (a clicked point must land where it was clicked). */
  keepView?: boolean;
}

class App implements PageActions {
  private settings: Settings;
  private file: DataBundle | undefined;
  private data: RunData | undefined;
  private view: View = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  private grid: GridSpec | undefined;
  private readonly worker: WorkerClient;
  private runId = 0;
  /** The run the current one went on from: its late snapshots still carry history. */
  private carriedFrom = -1;
  /** What the user asked for: keep training (until the run ends). */
  private playing = false;
  private histories: ModelHistory[] = [];
  private latest: ModelSnapshot[] = [];
  /** A snapshot (or a view setting) arrived since the last frame. */
  private dirty = false;
  /** The secondary panels skipped a snapshot: draw them once SECONDARY_MS has passed. */
  private secondaryDue = false;
  private lastSecondary = 0;
  private addMode: AddMode = "off";
  /** The dev share was set by turning early stopping on: turning it off takes it back. */
  private autoDev = false;
  private readonly controls: Controls;
  private readonly panels: BoundaryPanels;
  private readonly network: NetworkPanel;
  private readonly accuracy: AccuracyTable;
  private readonly notices = new Notices();
  private readonly digitsView: DigitsView;
  /** The bundled digits once loaded; `digitsMissing` says why there are none. */
  private digits: DataBundle | undefined;
  private digitsMissing: string | undefined;
  private digitsLoading = false;
  /** The speed the worker was last told ("full" until told otherwise). */
  private speedSent: Settings["speed"] = "full";

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
    // A digits link trains the digits' model on whatever it does not set itself.
    if (this.settings.dataset === "digits") {
      Object.assign(this.settings, digitsLinkDefaults(location.hash));
      normalize(this.settings);
    }
    // A compare link with λ = 0 or no dropout gets the article's values in those panels.
    if (this.settings.compare) Object.assign(this.settings, compareStart(this.settings));
    // A link with early stopping on got its dev share from it: turning it off gives it back.
    this.autoDev = parsed.warnings.some((w) => w.startsWith("early stopping needs a dev set"));
    this.controls = new Controls($("controls"), { change: (patch) => this.change(patch) });
    this.panels = new BoundaryPanels((view, e) => this.addPoint(view, e));
    this.network = new NetworkPanel((unit) => {
      this.post({ type: "watch", unit });
      this.dirty = true;
    });
    this.accuracy = new AccuracyTable($("accuracy"));
    this.digitsView = new DigitsView(
      (model, x) => this.worker.predict(model, x),
      (patch) => this.change(patch),
    );
    $("digits-credit").textContent = `Digits: ${MNIST_CREDIT}.`;
    this.worker = new WorkerClient(
      (msg) => this.receive(msg),
      (message) => this.notices.set("worker", `The training worker failed: ${message}`),
    );
    bindInputs(this);
    // In compare mode the network panel shows the model chosen for export.
    $("export-model").addEventListener("change", () => {
      this.dirty = true;
    });
    this.measureBar();
    this.writeUrl();
    this.controls.render(this.settings);
    this.digitsView.renderControls(this.settings);
    this.applySpeed();
    this.setup();
    const frame = (t: number) => {
      if (this.dirty) {
        this.dirty = false;
        this.render();
        this.post({ type: "ack" });
      } else if (this.secondaryDue && t - this.lastSecondary >= SECONDARY_MS) {
        this.secondaryDue = false;
        this.render();
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    // Digits are ready once loaded and trained on (the first snapshot): see receive().
    if (this.settings.dataset !== "digits") document.body.dataset.ready = "true";
  }

  private post(msg: ToWorker): void {
    this.worker.post(msg);
  }

  private presetData(name: keyof typeof DATASETS): Partial<Settings> {
    const d = DATASETS[name].defaults;
    return { points: d.n, noise: d.noise, testFraction: d.testFraction, dataSeed: d.seed, added: [] };
  }

  // --- Settings ------------------------------------------------------------------------------

  change(patch: Partial<Settings>): void {
    if (patch.dataset && patch.dataset !== this.settings.dataset && isDatasetName(patch.dataset)) {
      patch = { ...this.presetData(patch.dataset), ...patch };
      // Back from the digits: the plane's model again.
      if (this.settings.dataset === "digits") patch = { ...planePreset(), ...patch };
    }
    if (patch.dataset === "digits" && this.settings.dataset !== "digits")
      patch = { ...DIGITS_PRESET, ...patch };
    if (patch.compare === true && !this.settings.compare) {
      patch = { ...compareStart({ ...this.settings, ...patch }), ...patch };
    }
    if (patch.devFraction !== undefined) this.autoDev = false;
    // Early stopping off gives back the dev share it took: training uses every example again.
    if (patch.earlyStopping === false && this.autoDev) {
      patch = { ...patch, devFraction: 0 };
      this.autoDev = false;
    }
    const before = this.settings;
    const next: Settings = { ...before, ...patch };
    const fixes = normalize(next);
    if (fixes.length > 0) {
      if (next.devFraction !== before.devFraction && patch.devFraction === undefined) this.autoDev = true;
      this.notices.set("settings", fixes.join("; "));
    } else this.notices.clear("settings");
    let keys = (Object.keys(patch) as (keyof Settings)[]).filter(
      (k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]),
    );
    this.settings = next;
    this.writeUrl();
    this.controls.render(next);
    this.digitsView.renderControls(next);
    this.applySpeed();
    // The speed changes how the worker paces the run, not the run.
    keys = keys.filter((k) => k !== "speed");
    if (keys.length === 0) return;
    if (keys.every((k) => VIEW_KEYS.has(k))) {
      this.dirty = true;
      return;
    }
    const layered = cnnLayers(next, this.data?.train.shape) !== undefined;
    const live = (k: keyof Settings) =>
      VIEW_KEYS.has(k) || (layered ? cnnTakesLive(k, before, next) : LIVE_KEYS.has(k));
    if (keys.every(live) && this.latest.length > 0) {
      const models = modelSpecs(next);
      this.post({
        type: "retune",
        runId: this.runId,
        config: runConfigOf(next),
        stopAt: stopOf(next),
        models,
      });
      this.notices.clear("restart", "reached");
      if (next.compare) this.panels.retitle(models.map((m) => compareTitle(m.key, next)));
      this.describe();
      this.dirty = true;
      return;
    }
    if (keys.every((k) => k === "added")) {
      this.setup({ carry: true, keepView: true });
      return;
    }
    // A new file changes the dataset and its name together: that is one change, "the file"; a new
    // dataset brings its own defaults (points, noise, the digits' model): it alone is the reason.
    const why = keys.includes("fileName")
      ? [NAMES.fileName as string]
      : keys.includes("dataset")
        ? [NAMES.dataset as string]
        : keys.filter((k) => !live(k) && k !== "added").map((k) => NAMES[k] ?? k);
    this.notices.set(
      "restart",
      layered
        ? `Started over: ${inWords(why)} changed, which needs new data or new weights. A CNN takes learning rate, λ, keepProb, optimizer, the settings table (but its noise), augmentation and the stop live.`
        : `Started over: ${inWords(why)} changed, which needs new data or new weights. Learning rate, λ, keepProb, optimizer and the stop apply live.`,
    );
    this.setup();
  }

  private writeUrl(): void {
    const hash = `#${serializeSettings(this.settings)}`;
    if (location.hash !== hash) history.replaceState(null, "", hash);
    const cli = $("cli");
    if (this.settings.features.length > 0) {
      cli.textContent =
        "The CLI trains on x₁, x₂ as they are: engineered inputs (x₁², x₁x₂, sin x, …) are the playground's own; untick them to get a command line.";
      return;
    }
    if (this.settings.dataset === "digits") {
      const spec = augmentSpec(this.settings.augment);
      cli.textContent = `reglab train ${cliArgsOf(this.settings).join(" ")} --train-size 5000 --test-size 1000${spec ? ` --augment ${spec}` : ""} --json — the CLI draws its 5 000 and 1 000 digits at random from all of MNIST; the page has the first ones.`;
      return;
    }
    cli.textContent =
      this.settings.dataset === "file" || usesDefaultData(this.settings)
        ? `reglab train ${cliArgsOf(this.settings).join(" ")} --json`
        : "The CLI's --dataset uses each dataset's default points, noise, test share and seed, and has no added points; reset those to get a command line.";
  }

  // --- Runs ----------------------------------------------------------------------------------

  /** Builds the data and starts a new run in the worker (keeping play/pause as it was). */
  private setup(options: SetupOptions = {}): void {
    const s = this.settings;
    const digits = s.dataset === "digits";
    if (digits) document.body.classList.add("digits-mode");
    $("compare-text").textContent = `Compare the ${digits ? "four" : "three"} models side by side`;
    if (digits && !this.digits) {
      this.loadDigits();
      return;
    }
    try {
      this.data = buildRunData(s, digits ? this.digits : this.file);
      this.notices.clear("data");
    } catch (e) {
      this.notices.set("data", (e as Error).message);
      return;
    }
    const data = this.data;
    const two = data.train.X.rows === 2;
    // Data without the plane (digits, pictures, many features) is shown as curves, a confusion
    // matrix and pictures; the pad takes digits shaped as MNIST's.
    const shape = data.train.shape;
    document.body.classList.toggle("digits-mode", !two);
    document.body.classList.toggle("no-pictures", !shape);
    document.body.classList.toggle(
      "can-draw",
      shape?.height === 28 && shape.width === 28 && shape.channels === 1 && classNames(data).length === 10,
    );
    // Engineered features need the plane: other data trains on its own columns.
    const features = two ? s.features : [];
    if (s.features.length > 0 && !two) {
      this.notices.set("features", "engineered features need data with 2 features: trained without them");
    } else this.notices.clear("features");
    // Built-in planes are shown 3:2, like the pitch, so the page keeps its shape between datasets.
    // A clicked point keeps the axes, so the next click lands where the pointer is.
    const keepView = options.keepView === true && this.grid !== undefined && two;
    if (!keepView) this.view = viewFor(data, PLANE_ASPECT);
    const aspect = data.pitch ? pitchAspect(this.view) : PLANE_ASPECT;
    const nx = 96;
    this.grid = two ? { view: this.view, nx, ny: Math.max(8, Math.round(nx / aspect)) } : undefined;
    const models = modelSpecs(s);
    const layers = cnnLayers(s, data.train.shape);
    if (s.earlyStopping && !data.dev) {
      this.notices.set("es", "Early stopping needs a dev set: set a dev share above 0.");
    } else this.notices.clear("es");
    const carry = options.carry === true && this.histories.length === models.length;
    // The worker may have sent history of the run carried on before it heard of this one.
    this.carriedFrom = carry ? this.runId : -1;
    this.runId++;
    if (!carry) {
      this.histories = models.map((m) => new ModelHistory(m.key, m.name));
      this.latest = [];
      this.network.reset();
      this.notices.clear("reached");
    }
    if (!keepView || !carry) {
      this.panels.build(
        models.map((m) => (s.compare ? compareTitle(m.key, s) : "")),
        aspect,
      );
    }
    this.post({
      type: "setup",
      runId: this.runId,
      data: {
        train: datasetWithFeatures(data.train, features),
        ...(data.dev && { dev: datasetWithFeatures(data.dev, features) }),
        ...(data.test && { test: datasetWithFeatures(data.test, features) }),
      },
      ...(features.length > 0 && { features }),
      config: runConfigOf(s),
      models,
      earlyStopping: { enabled: s.earlyStopping, patience: s.patience },
      ...(this.grid && { grid: this.grid }),
      stopAt: stopOf(s),
      ...(carry && { carry: true }),
      ...(layers && { layers }),
    });
    if (this.playing) this.post({ type: "play" });
    this.describeData();
    this.describe();
    this.renderExportChoices(models.map((m) => m.name));
    this.setState();
  }

  /** Loads the bundled digits once, then sets the run up (or says why there are none). */
  private loadDigits(): void {
    if (this.digitsMissing) {
      this.notices.set("data", `Digits unavailable: ${this.digitsMissing}.`);
      document.body.dataset.ready = "true";
      return;
    }
    $("data-status").textContent = "Loading the digits…";
    if (this.digitsLoading) return;
    this.digitsLoading = true;
    loadBundledDigits().then(({ bundle, reason }) => {
      this.digitsLoading = false;
      this.digits = bundle;
      this.digitsMissing = reason;
      if (this.settings.dataset === "digits") this.setup();
    });
  }

  /** The caption under the plot: the whole configuration, as it is now (live changes included). */
  private describe(): void {
    const d = this.data;
    if (!d) return;
    const two = d.train.X.rows === 2;
    const inputs = d.train.X.rows + (two ? this.settings.features.length : 0);
    const classes = classNames(d).length;
    const s = this.settings;
    const layers = cnnLayers(s, d.train.shape);
    // A CNN's model line lists its layers as `reglab train --layers` prints them (its reference
    // init is He's, as LayeredNetwork draws it).
    const config = runConfigOf(s);
    const text =
      layers && !s.compare
        ? describeConfig(config.init === "reference" ? { ...config, init: "he" } : config, inputs, {
            classes,
            untilPaused: !s.stopAt,
            layers: layers.map(specText),
            ...(s.earlyStopping && { earlyStopping: { patience: s.patience } }),
          })
        : `${layers ? `CNN ${CNN_LAYERS} before the dense layers · ` : ""}${describeRun(s, inputs, classes)}`;
    $("summary").textContent = text;
    $("digits-summary").textContent = text;
  }

  private describeData(): void {
    const d = this.data;
    if (!d) return;
    const n = (x: { X: { cols: number } } | undefined) => (x ? x.X.cols : 0);
    const parts = [`${n(d.train)} training`];
    if (d.dev) parts.push(`${n(d.dev)} dev`);
    if (d.test) parts.push(`${n(d.test)} test`);
    const name = this.settings.dataset;
    const source = name === "file" || name === "digits" ? d.source : (DATASETS[name]?.description ?? "");
    const added = this.settings.added.length > 0 ? ` · ${this.settings.added.length} added by clicking` : "";
    $("data-status").textContent =
      `${parts.join(" · ")} examples, ${d.train.X.rows} features${added}. ${source}`;
    document.body.dataset.examples = `${n(d.train)},${n(d.dev)},${n(d.test)}`;
    $("stage").classList.toggle("has-dev", Boolean(d.dev));
  }

  private receive(msg: Exclude<FromWorker, { type: "model" } | { type: "prediction" }>): void {
    if (msg.type === "error") {
      if (msg.runId === this.runId) {
        this.playing = false;
        this.notices.set("run", msg.message);
        this.setState();
      }
      return;
    }
    if (msg.runId !== this.runId) {
      if (msg.runId === this.carriedFrom)
        for (const [i, m] of msg.models.entries()) this.histories[i]?.append(m.history);
      this.post({ type: "ack" });
      return;
    }
    for (const [i, m] of msg.models.entries()) this.histories[i]?.append(m.history);
    // A snapshot without a grid (big networks) keeps showing the previous one; one without weights
    // (images, between their samples) keeps the previous weights.
    this.latest = msg.models.map((m0, i) => {
      const prev = this.latest[i];
      const m = m0.weights.length === 0 && prev ? { ...m0, weights: prev.weights } : m0;
      if (m.grid || !prev?.grid) return m;
      return {
        ...m,
        grid: prev.grid,
        ...(!m.unit && prev.unit && { unit: prev.unit }),
        ...(!m.maps && prev.maps && { maps: prev.maps }),
      };
    });
    document.body.dataset.running = String(msg.running);
    const first = msg.models[0];
    if (first) {
      document.body.dataset.trainAccuracy = String(
        first.train.n > 0 ? first.train.correct / first.train.n : 0,
      );
      if (first.test) document.body.dataset.testAccuracy = String(first.test.correct / first.test.n);
      else delete document.body.dataset.testAccuracy;
    }
    document.body.dataset.ready = "true";
    document.body.dataset.iteration = String(Math.max(0, ...msg.models.map((m) => m.iteration)));
    if (!msg.running && this.playing && msg.models.every((m) => m.done)) this.playing = false;
    const problems = msg.models.filter((m) => m.error).map((m) => `${m.name}: ${m.error}`);
    if (problems.length > 0) {
      this.notices.set("run", problems.join("; "));
      this.playing = false;
    } else this.notices.clear("run");
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
      const on = first.kernels === "wasm" ? "on WebAssembly SIMD" : "on JavaScript";
      $("rate").title = first.threads > 1 ? `${on}, ${first.threads} threads` : on;
      document.body.dataset.kernels = first.kernels;
      document.body.dataset.threads = String(first.threads);
    }
    const digits = data.train.X.rows !== 2;
    if (!digits) {
      this.panels.draw({ snaps, data, view: this.view, grid: this.grid, settings: s, playing: this.playing });
    }
    // The boundary follows every frame; curves, table and network only need ~10 updates a second
    // while it trains, which leaves the main thread most of each frame.
    const now = performance.now();
    this.secondaryDue = this.playing && now - this.lastSecondary < SECONDARY_MS;
    if (this.secondaryDue) return;
    this.lastSecondary = now;
    drawCurvesPanel({
      histories: this.histories,
      latest: snaps,
      hasDev: data.dev !== undefined,
      hasTest: data.test !== undefined,
      iterations: s.stopAt ? s.iterations : Number.POSITIVE_INFINITY,
      showTest: s.showTest,
    });
    this.accuracy.render(snaps);
    // In compare mode the network shown is the model chosen for export.
    const shown = snaps[this.exportIndex()] ?? first;
    if (digits) {
      this.digitsView.render({
        snaps,
        histories: this.histories,
        settings: s,
        shown: this.exportIndex(),
        sets: data,
        classes: classNames(data),
        shape: data.train.shape,
        playing: this.playing,
      });
    } else if (shown) {
      this.network.draw({
        snap: shown,
        playing: this.playing,
        grid: this.grid,
        activation: s.activation,
        inputs: inputLabels(data.train.X.rows === 2 ? s.features : []),
        ...(snaps.length > 1 && { title: compareTitle(shown.key, s) }),
      });
    }
    this.notices.stops(snaps);
  }

  setSpeed(speed: string): void {
    const choice = settingOf("speed").kind.parse(speed);
    if (choice) this.change({ speed: choice });
  }

  /** The speed menu as the settings say, and the worker told (it keeps it across runs). */
  private applySpeed(): void {
    const speed = this.settings.speed;
    ($("speed") as HTMLSelectElement).value = speed;
    if (speed === this.speedSent) return;
    this.speedSent = speed;
    this.post({ type: "speed", stepsPerFrame: speed === "full" ? null : Number(speed) });
  }

  private setState(): void {
    // A run that failed is not "done": it stays paused with the failure in the notice line.
    const done = this.latest.length > 0 && this.latest.every((m) => m.done && !m.error);
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

  togglePlay(): void {
    if (this.playing) {
      this.playing = false;
      this.post({ type: "pause" });
    } else {
      if (this.latest.length > 0 && this.latest.every((m) => m.done)) {
        this.explainEnd();
        return;
      }
      this.playing = true;
      this.post({ type: "play" });
    }
    this.setState();
  }

  /** Play on a finished run: say why it ended and what goes on from here (never a silent restart). */
  private explainEnd(): void {
    const s = this.settings;
    const limited = this.latest.some((m) => m.done && !m.stopReason && !m.error);
    this.notices.set(
      "reached",
      limited
        ? `Stopped at ${s.iterations.toLocaleString("en")} iterations as set: untick “Stop at” or raise it to train on from here, or Reset (R) to start over.`
        : this.latest.some((m) => m.error)
          ? "Training failed (see above): change what it suggests, then Reset (R) to start over."
          : "Early stopping ended this run: Reset (R) starts a new one.",
    );
  }

  private addPoint(view: BoundaryView, e: MouseEvent): void {
    if (this.addMode === "off" || !this.data || this.data.train.X.rows !== 2) return;
    const s = this.settings;
    if (s.added.length >= MAX_ADDED) {
      this.notices.set("add", `at most ${MAX_ADDED} added points`);
      return;
    }
    const rect = (e.target as HTMLElement).getBoundingClientRect();
    const { x, y } = view.toData(e.clientX - rect.left, e.clientY - rect.top);
    const label = this.addMode === "1" ? 1 : 0;
    this.change({ added: [...s.added, { x: roundCoordinate(x), y: roundCoordinate(y), label }] });
  }

  async loadFile(file: File): Promise<void> {
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const bundle = await parseDataFile(file.name, bytes);
      this.file = bundle;
      this.controls.setFile(file.name);
      this.notices.clear("file");
      this.notices.clear("url");
      // Pictures train as the digits do (a dense ReLU network, Adam on mini-batches).
      const images = bundle.train.shape ? DIGITS_PRESET : {};
      this.change({ ...images, dataset: "file", fileName: file.name, added: [] });
    } catch (e) {
      this.notices.set("file", (e as Error).message);
    }
  }

  async loadFolder(files: File[]): Promise<void> {
    try {
      if (!isPictureFolder(files)) {
        throw new Error(
          `${files.length} files without labels.csv: drop one data file, or pictures with their labels.csv`,
        );
      }
      const bundle = await parsePictureFolder(files);
      this.file = bundle;
      this.controls.setFile(bundle.source);
      this.notices.clear("file");
      this.notices.clear("url");
      this.change({ ...DIGITS_PRESET, dataset: "file", fileName: bundle.source, added: [] });
    } catch (e) {
      this.notices.set("file", (e as Error).message);
    }
  }

  private exportIndex(): number {
    return this.latest.length > 1 ? Number(($("export-model") as HTMLSelectElement).value) || 0 : 0;
  }

  step(): void {
    if (this.latest.length > 0 && this.latest.every((m) => m.done)) return;
    this.playing = false;
    this.post({ type: "step", count: 1 });
    this.setState();
  }

  reset(): void {
    this.playing = false;
    this.setup();
  }

  setAddMode(mode: AddMode): void {
    this.addMode = mode;
    $("boundaries").classList.toggle("adding", mode !== "off");
  }

  clearAdded(): void {
    this.change({ added: [] });
  }

  linkChanged(): void {
    if (location.hash === `#${serializeSettings(this.settings)}`) return;
    const parsed = parseSettings(location.hash);
    if (parsed.settings.dataset === "file" && !this.file) parsed.settings.dataset = this.settings.dataset;
    this.settings = parsed.settings;
    this.writeUrl();
    this.controls.render(this.settings);
    this.applySpeed();
    this.setup();
  }

  resized(): void {
    this.measureBar();
    this.dirty = true;
  }

  /** The sticky bar's height, which the sticky settings and (on a phone) the plot sit under. */
  private measureBar(): void {
    const h = document.querySelector<HTMLElement>(".bar")?.offsetHeight ?? 64;
    document.documentElement.style.setProperty("--bar-h", `${h}px`);
  }

  // --- Exports -------------------------------------------------------------------------------

  async exportModel(): Promise<void> {
    const json = await this.worker.modelJson(this.exportIndex());
    download(this.fileName("reglab-model", "json"), json, "application/json");
  }

  /** "reglab-boundary.svg", or with the model's key when several are trained ("…-l2.svg"). */
  private fileName(stem: string, ext: string): string {
    const snap = this.latest[this.exportIndex()];
    return this.latest.length > 1 && snap ? `${stem}-${snap.key}.${ext}` : `${stem}.${ext}`;
  }

  async exportPng(): Promise<void> {
    const svg = await this.boundaryFigure();
    if (!svg) return;
    try {
      download(this.fileName("reglab-boundary", "png"), await svgToPng(svg));
    } catch (e) {
      this.notices.set("export", `PNG export failed: ${(e as Error).message}`);
    }
  }

  async exportSvg(): Promise<void> {
    const svg = await this.boundaryFigure();
    if (svg) download(this.fileName("reglab-boundary", "svg"), svg, "image/svg+xml");
  }

  /** The engine's boundary figure of the chosen model (undefined, with a notice, without 2 features). */
  private async boundaryFigure(): Promise<string | undefined> {
    const data = this.data;
    if (data?.train.X.rows !== 2) {
      this.notices.set("export", "the boundary plot needs data with 2 features");
      return undefined;
    }
    const i = this.exportIndex();
    const json = await this.worker.modelJson(i);
    const snap = this.latest[i];
    const s = this.settings;
    const name = snap ? compareTitle(snap.key, s) : "";
    const title = `Decision boundary${this.latest.length > 1 ? ` — ${name}` : ""}, iteration ${snap?.iteration ?? 0} · ${shortConfig(s, snap?.key)}`;
    return boundarySvg(
      json,
      this.settings.features,
      { train: data.train, ...(data.test && { test: data.test }) },
      {
        view: this.view,
        pitch: data.pitch,
        mode: this.settings.heatmap,
        showTest: this.settings.showTest,
        title,
      },
    );
  }

  exportHistory(): void {
    download("reglab-history.csv", historyCsv(this.histories), "text/csv");
  }
}

/** The names of the data's classes: its own (e.g. non-cat, cat) or "0" … "K−1". */
function classNames(data: RunData): readonly string[] {
  let max = 1;
  for (const d of [data.train, data.dev, data.test]) if (d) for (const v of d.y) if (v > max) max = v;
  return data.classes ?? Array.from({ length: max + 1 }, (_, k) => String(k));
}

/** "a", "a and b", "a, b and c". */
function inWords(items: readonly string[]): string {
  if (items.length < 2) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

new App();
