/**
 * The settings form. Inputs carry `data-setting="key"`; reading and writing them goes through the
 * same table entries as the URL (`kind.parse` validates what was typed, `kind.format` shows the
 * value), so the form, the URL and the run can never disagree. The hidden-layer editor is built here.
 */
import { DATASET_NAMES } from "../src/data/generators.js";
import {
  ARTICLE_SETTINGS,
  checkSetting,
  EXTRA_SETTINGS,
  type NumberRow,
  optionKey,
  type SettingRow,
} from "../src/training/settings.js";
import type { Feature } from "./features.js";
import {
  MAX_LAYERS,
  MAX_NEURONS,
  type Settings,
  settingOf as setting,
  type TableValues,
  tableValue,
} from "./state.js";

/** The engine's settings rows with a slider (L1, max-norm, noise, label smoothing): all live. */
const SLIDER_ROWS = EXTRA_SETTINGS.filter((r): r is NumberRow & { slider: { max: number; step: number } } =>
  Boolean(r.type === "number" && r.slider && r.live),
);

const LABELS: Record<string, string> = {
  football: "Football (stand-in, on the pitch)",
  moons: "Moons",
  circles: "Circles",
  xor: "XOR",
  spiral: "Spiral",
  gaussians: "Gaussians",
  flower: "Flower",
  digits: "Digits (MNIST, 5 000 images)",
  relu: "ReLU",
  tanh: "tanh",
  leakyRelu: "leaky ReLU",
  sigmoid: "sigmoid",
  linear: "linear",
  reference: "reference",
  he: "He",
  xavier: "Xavier",
  zeros: "zeros",
  gd: "gradient descent",
  momentum: "momentum",
  adam: "Adam",
  fresh: "fresh each step",
  fixed: "fixed, reseeded (article)",
};

type Field = HTMLInputElement | HTMLSelectElement;

/** The article's settings rows by the key their fields carry (data-setting="learningRate"). */
const ROWS = new Map<string, SettingRow>(ARTICLE_SETTINGS.map((r) => [optionKey(r), r]));

/** Sliders whose setting applies live (its row says so): they commit while dragged, not only on release. */
const isLive = (key: string | undefined) => ROWS.get(key ?? "")?.live === true;

/** The allowed values of a number field, from its min, max and step. */
function allowed(f: HTMLInputElement | HTMLSelectElement): string {
  if (!(f instanceof HTMLInputElement)) return "Choose one of the listed values.";
  const whole = f.step !== "" && Number.isInteger(Number(f.step)) && f.step !== "any";
  const kind = whole ? "a whole number" : "a number";
  const min = f.min === "" ? undefined : f.min;
  const max = f.max === "" ? undefined : f.max;
  // A row whose range excludes its minimum (the learning rate) says "above".
  const row = ROWS.get(f.dataset.setting ?? "");
  const above = row?.type === "number" && row.minExclusive ? `above ${min}` : `from ${min}`;
  if (min !== undefined && max !== undefined) return `Enter ${kind} ${above} to ${max}.`;
  if (min !== undefined) return `Enter ${kind} ${above}${above.startsWith("from") ? " up" : ""}.`;
  return `Enter ${kind}.`;
}

export interface ControlsEvents {
  /** A complete, valid change of some settings. */
  change(patch: Partial<Settings>): void;
}

function fill(select: HTMLSelectElement, values: readonly string[]): void {
  select.replaceChildren(
    ...values.map((v) => {
      const o = document.createElement("option");
      o.value = v;
      o.textContent = LABELS[v] ?? v;
      return o;
    }),
  );
}

function percent(v: number): string {
  return `${Math.round(v * 1000) / 10} %`;
}

export class Controls {
  private readonly fields: Field[];
  private settings: Settings | undefined;
  private fileName = "";

  constructor(
    readonly form: HTMLFormElement,
    private readonly events: ControlsEvents,
  ) {
    this.fields = [...form.querySelectorAll<Field>("[data-setting]")];
    for (const f of this.fields) {
      const row = ROWS.get(f.dataset.setting ?? "");
      // A select offers its row's choices; a number field takes its row's range.
      if (row?.type === "choice" && f instanceof HTMLSelectElement) fill(f, row.choices);
      if (row?.type === "number" && f instanceof HTMLInputElement && f.type === "number") {
        f.min = String(row.min);
        if (row.max === undefined) f.removeAttribute("max");
        else f.max = String(row.integer && row.maxExclusive ? row.max - 1 : row.max);
      }
      const commit = () => this.commit(f);
      f.addEventListener("change", commit);
      if (f instanceof HTMLInputElement && f.type === "range") {
        f.addEventListener("input", () => this.showRange(f));
        // What applies live follows the slider as it moves.
        if (isLive(f.dataset.setting)) f.addEventListener("input", commit);
      }
    }
    for (const box of form.querySelectorAll<HTMLInputElement>("[data-feature]")) {
      box.addEventListener("change", () => {
        const checked = [...form.querySelectorAll<HTMLInputElement>("[data-feature]:checked")];
        const value = setting("features").kind.parse(checked.map((c) => c.dataset.feature).join(","));
        if (value) this.events.change({ features: value });
      });
    }
    const keepRange = form.querySelector<HTMLInputElement>("#keep-range")!;
    keepRange.addEventListener("input", () => {
      const s = this.settings;
      if (s) this.events.change({ keepProb: s.hidden.map(() => Number(keepRange.value)) });
    });
    // The learning rate spans 1e-4 … 10: the slider moves its logarithm.
    const lrRange = form.querySelector<HTMLInputElement>("#lr-range")!;
    lrRange.addEventListener("input", () => {
      const v = Number((10 ** Number(lrRange.value)).toPrecision(2));
      lrRange.setAttribute("aria-valuetext", String(v));
      this.events.change({ learningRate: v });
    });
    this.addTableSliders();
    form.addEventListener("submit", (e) => e.preventDefault());
    form.querySelector<HTMLButtonElement>("#add-layer")!.addEventListener("click", () => this.layers("add"));
    form
      .querySelector<HTMLButtonElement>("#remove-layer")!
      .addEventListener("click", () => this.layers("remove"));
    const keepAll = form.querySelector<HTMLInputElement>("#keep-all")!;
    keepAll.addEventListener("change", () => {
      const v = setting("keepProb").kind.parse(keepAll.value);
      const s = this.settings;
      if (!s || !v || v.length !== 1 || v[0] < 0.05) return this.invalid(keepAll, true);
      this.invalid(keepAll, false);
      this.events.change({ keepProb: s.hidden.map(() => v[0]) });
    });
    for (const b of form.querySelectorAll<HTMLButtonElement>("[data-preset]")) {
      b.addEventListener("click", () => {
        const s = this.settings;
        if (!s) return;
        const preset = b.dataset.preset;
        const keep = preset === "dropout" ? 0.86 : 1;
        this.events.change({ lambda: preset === "l2" ? 0.7 : 0, keepProb: s.hidden.map(() => keep) });
      });
    }
  }

  /**
   * One slider and exact field per slider row of the engine's settings table, after L2's: its
   * label, range and help (with the formula) come from the row; a change applies live.
   */
  private addTableSliders(): void {
    let after = this.form.querySelector("#lambda-range")!.closest(".slider")!;
    for (const row of SLIDER_ROWS) {
      const div = document.createElement("div");
      div.className = "slider";
      div.title = row.help;
      const id = `${row.name}-range`;
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = row.label;
      const range = document.createElement("input");
      range.type = "range";
      range.id = id;
      range.min = "0";
      range.max = String(row.slider.max);
      range.step = String(row.slider.step);
      range.dataset.row = row.name;
      const exact = document.createElement("input");
      exact.type = "number";
      exact.min = String(row.min);
      if (row.max !== undefined) exact.max = String(row.max);
      exact.step = "any";
      exact.dataset.row = row.name;
      exact.id = `${row.name}-exact`;
      exact.setAttribute("aria-label", `${row.label} (exact value)`);
      const commit = (f: HTMLInputElement) => {
        const s = this.settings;
        const v = f.value.trim() === "" ? Number.NaN : Number(f.value);
        try {
          checkSetting(row, v);
        } catch {
          return this.invalid(f, true);
        }
        this.invalid(f, false);
        if (!s) return;
        const table: Record<string, number | string> = { ...s.table };
        if (v === row.default) delete table[row.name];
        else table[row.name] = v;
        this.events.change({ table: table as TableValues });
      };
      range.addEventListener("input", () => commit(range));
      exact.addEventListener("change", () => commit(exact));
      div.append(label, range, exact);
      after.after(div);
      after = div;
    }
  }

  /** Offers a loaded file in the dataset list. */
  setFile(name: string): void {
    this.fileName = name;
  }

  /**
   * Marks a field whose text is not a valid value, with a message under it giving the allowed
   * range and the value still in use (the run never takes a value the field does not show).
   */
  private invalid(f: HTMLInputElement | HTMLSelectElement, bad: boolean): void {
    const id = `${f.id || f.dataset.setting || `keep-${f.dataset.layer ?? ""}`}-error`;
    let note = this.form.querySelector<HTMLElement>(`[id="${id}"]`);
    if (!bad) {
      f.removeAttribute("aria-invalid");
      note?.remove();
      f.removeAttribute("aria-describedby");
      return;
    }
    f.setAttribute("aria-invalid", "true");
    if (!note) {
      note = document.createElement("span");
      note.id = id;
      note.className = "field-error";
      note.setAttribute("role", "alert");
      (f.closest("label, .slider, li") ?? f).after(note);
    }
    f.setAttribute("aria-describedby", id);
    note.textContent = `${allowed(f)} ${this.inUse(f)}`;
  }

  /** What the run uses while a field holds something invalid. */
  private inUse(f: HTMLInputElement | HTMLSelectElement): string {
    const s = this.settings;
    if (!s) return "";
    const row = SLIDER_ROWS.find((r) => r.name === f.dataset.row);
    if (row) return `Still using ${tableValue(s, row)}.`;
    const key = f.dataset.setting as keyof Settings | undefined;
    const value = key ? s[key] : s.keepProb[Number(f.dataset.layer ?? 0)];
    return `Still using ${Array.isArray(value) ? value.join(", ") : String(value)}.`;
  }

  private commit(f: Field): void {
    const key = f.dataset.setting as keyof Settings;
    const entry = setting(key);
    let raw: string;
    if (f instanceof HTMLInputElement && f.type === "checkbox") raw = f.checked ? "1" : "0";
    else if (f instanceof HTMLInputElement && f.type === "radio") {
      if (!f.checked) return;
      raw = f.value;
    } else raw = f.value;
    const value = entry.kind.parse(raw);
    if (value === undefined) {
      this.invalid(f, true);
      // The run keeps its value, and the slider beside this field shows it.
      this.render(this.settings!, f);
      return;
    }
    this.invalid(f, false);
    this.events.change({ [key]: value } as Partial<Settings>);
  }

  private showRange(f: HTMLInputElement): void {
    const out = this.form.querySelector<HTMLOutputElement>(`output[data-for="${f.dataset.setting}"]`);
    if (out) out.textContent = percent(Number(f.value));
  }

  private layers(op: "add" | "remove"): void {
    const s = this.settings;
    if (!s) return;
    const hidden = [...s.hidden];
    const keep = [...s.keepProb];
    if (op === "add" && hidden.length < MAX_LAYERS) {
      hidden.push(hidden.length > 0 ? hidden[hidden.length - 1] : 4);
      keep.push(keep.length > 0 ? keep[keep.length - 1] : 1);
    } else if (op === "remove" && hidden.length > 0) {
      hidden.pop();
      keep.pop();
    } else return;
    this.events.change({ hidden, keepProb: keep });
  }

  /** Shows the settings in every field (but `keep`, which holds text that does not parse). */
  render(s: Settings, keep?: Field): void {
    this.settings = s;
    const datasetSelect = this.form.querySelector<HTMLSelectElement>("#dataset")!;
    const choices: string[] = [...DATASET_NAMES, "digits"];
    if (this.fileName || s.dataset === "file") choices.push("file");
    if (datasetSelect.options.length !== choices.length) fill(datasetSelect, choices);
    const fileOption = datasetSelect.querySelector<HTMLOptionElement>('option[value="file"]');
    if (fileOption) fileOption.textContent = `File: ${this.fileName || s.fileName || "(not loaded)"}`;

    for (const f of this.fields) {
      if (f === keep) continue;
      const key = f.dataset.setting as keyof Settings;
      const entry = setting(key);
      const value = s[key];
      const text = (entry.kind as { format(v: unknown): string }).format(value);
      if (f instanceof HTMLInputElement && f.type === "checkbox") f.checked = value === true;
      else if (f instanceof HTMLInputElement && f.type === "radio") f.checked = f.value === text;
      else if (f.value !== text) f.value = text;
      this.invalid(f, false);
      if (f instanceof HTMLInputElement && f.type === "range") {
        const out = this.form.querySelector<HTMLOutputElement>(`output[data-for="${key}"]`);
        if (out) out.textContent = percent(value as number);
      }
    }
    const isFile = s.dataset === "file" || s.dataset === "digits";
    for (const key of ["points", "noise", "testFraction", "dataSeed"]) {
      const f = this.form.querySelector<Field>(`[data-setting="${key}"]`);
      if (f) f.disabled = isFile;
    }
    const keepAll = this.form.querySelector<HTMLInputElement>("#keep-all")!;
    const keepRange = this.form.querySelector<HTMLInputElement>("#keep-range")!;
    const same = s.keepProb.length > 0 && s.keepProb.every((p) => p === s.keepProb[0]);
    if (keepAll !== keep) {
      keepAll.value = same ? String(s.keepProb[0]) : "";
      this.invalid(keepAll, false);
    }
    keepAll.placeholder = same ? "" : "per layer";
    keepRange.value = String(same ? s.keepProb[0] : Math.min(...s.keepProb, 1));
    keepRange.setAttribute("aria-valuetext", same ? String(s.keepProb[0]) : "differs per layer");
    for (const f of this.form.querySelectorAll<HTMLInputElement>("input[data-row]")) {
      if (f === keep) continue;
      const row = SLIDER_ROWS.find((r) => r.name === f.dataset.row);
      if (!row) continue;
      const text = String(tableValue(s, row));
      if (f.value !== text) f.value = text;
      if (f.type === "range") f.setAttribute("aria-valuetext", text);
      this.invalid(f, false);
    }
    const lrRange = this.form.querySelector<HTMLInputElement>("#lr-range")!;
    lrRange.value = String(Math.log10(s.learningRate));
    lrRange.setAttribute("aria-valuetext", String(s.learningRate));
    this.renderLayers(s);
    for (const box of this.form.querySelectorAll<HTMLInputElement>("[data-feature]")) {
      box.checked = s.features.includes(box.dataset.feature as Feature);
    }
    // Compare mode: λ drives the L2 panel and keepProb the dropout panel, live; the presets,
    // which choose one model, are off.
    const why = "Compare mode trains three models: λ sets the L2 panel, keepProb the dropout panel";
    for (const f of this.form.querySelectorAll<HTMLButtonElement>("[data-preset]")) f.disabled = s.compare;
    for (const f of this.form.querySelectorAll<HTMLInputElement>(
      "#keep-all, #keep-range, .layers .keep input",
    )) {
      f.disabled = s.hidden.length === 0;
    }
    const note = this.form.querySelector<HTMLElement>("#compare-note")!;
    note.hidden = !s.compare;
    note.textContent = `${why} (both live); the first panel stays unregularized.`;
  }

  private renderLayers(s: Settings): void {
    const list = this.form.querySelector<HTMLOListElement>("#layers")!;
    this.form.querySelector<HTMLOutputElement>("#layer-count")!.textContent = String(s.hidden.length);
    this.form.querySelector<HTMLButtonElement>("#add-layer")!.disabled = s.hidden.length >= MAX_LAYERS;
    this.form.querySelector<HTMLButtonElement>("#remove-layer")!.disabled = s.hidden.length === 0;
    // Rebuild only when the number of layers changed, so focus stays on the button pressed.
    if (list.children.length !== s.hidden.length) {
      list.replaceChildren(...s.hidden.map((_, i) => this.layerRow(i)));
    }
    s.hidden.forEach((n, i) => {
      const row = list.children[i] as HTMLElement;
      row.querySelector("output")!.textContent = String(n);
      row.querySelector<HTMLButtonElement>(".minus")!.disabled = n <= 1;
      row.querySelector<HTMLButtonElement>(".plus")!.disabled = n >= MAX_NEURONS;
      const keep = row.querySelector<HTMLInputElement>("input")!;
      if (Number(keep.value) !== s.keepProb[i]) keep.value = String(s.keepProb[i]);
      keep.removeAttribute("aria-invalid");
    });
    if (s.hidden.length === 0) {
      list.setAttribute("data-empty", "no hidden layers: logistic regression");
    } else list.removeAttribute("data-empty");
  }

  private layerRow(i: number): HTMLLIElement {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.className = "label";
    name.textContent = `Layer ${i + 1}`;
    const minus = document.createElement("button");
    minus.type = "button";
    minus.className = "small minus";
    minus.textContent = "−";
    minus.setAttribute("aria-label", `Remove a neuron from layer ${i + 1}`);
    const count = document.createElement("output");
    count.setAttribute("aria-label", `Neurons in layer ${i + 1}`);
    const plus = document.createElement("button");
    plus.type = "button";
    plus.className = "small plus";
    plus.textContent = "+";
    plus.setAttribute("aria-label", `Add a neuron to layer ${i + 1}`);
    const keepLabel = document.createElement("label");
    keepLabel.className = "keep";
    keepLabel.textContent = "keep ";
    keepLabel.title = `keepProb of layer ${i + 1}: the chance each of its units is kept in a step (1 = no dropout)`;
    const keep = document.createElement("input");
    keep.type = "number";
    keep.min = "0.05";
    keep.max = "1";
    keep.step = "0.01";
    keep.setAttribute("aria-label", `keepProb of layer ${i + 1}`);
    keep.dataset.layer = String(i);
    keepLabel.append(keep);
    const resize = (d: number) => {
      const s = this.settings;
      if (!s) return;
      const hidden = [...s.hidden];
      hidden[i] = Math.max(1, Math.min(MAX_NEURONS, hidden[i] + d));
      this.events.change({ hidden });
    };
    minus.addEventListener("click", () => resize(-1));
    plus.addEventListener("click", () => resize(1));
    keep.addEventListener("change", () => {
      const s = this.settings;
      const v = setting("keepProb").kind.parse(keep.value);
      if (!s || !v || v.length !== 1 || v[0] < 0.05) return this.invalid(keep, true);
      this.invalid(keep, false);
      const keepProb = [...s.keepProb];
      keepProb[i] = v[0];
      this.events.change({ keepProb });
    });
    li.append(name, minus, count, plus, keepLabel);
    return li;
  }
}
