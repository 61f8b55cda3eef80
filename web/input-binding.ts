/**
 * The page's inputs wired to what they do: the play/step/reset buttons and their keys (Space, ".",
 * R), the speed, the add-a-point radios, loading a data file (pick or drop), the link changing, resizing, and
 * the export buttons. The page supplies the actions; nothing here keeps state but the drag depth.
 */
import { $ } from "./dom.js";

export type AddMode = "off" | "0" | "1";

export interface PageActions {
  togglePlay(): void;
  step(): void;
  reset(): void;
  setAddMode(mode: AddMode): void;
  clearAdded(): void;
  loadFile(file: File): void;
  /** A folder of pictures with labels.csv (picked as a folder, or several files dropped). */
  loadFolder(files: File[]): void;
  linkChanged(): void;
  /** Iterations per drawn frame, as the speed menu says it ("full", "100", …). */
  setSpeed(speed: string): void;
  resized(): void;
  exportModel(): void;
  exportPng(): void;
  exportSvg(): void;
  exportHistory(): void;
}

function bindKeys(actions: PageActions): void {
  document.addEventListener("keydown", (e) => {
    const t = e.target as HTMLElement;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t.closest("input, select, textarea, button, summary, [contenteditable]")) return;
    if (e.key === " ") {
      e.preventDefault();
      actions.togglePlay();
    } else if (e.key === ".") {
      $("step").click();
    } else if (e.key === "r" || e.key === "R") {
      $("reset").click();
    }
  });
}

/** A file picked with the button or dropped anywhere on the page. */
function bindFiles(actions: PageActions): void {
  const input = $("file") as HTMLInputElement;
  $("pick-file").addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    const f = input.files?.[0];
    if (f) actions.loadFile(f);
    input.value = "";
  });
  const folder = $("folder") as HTMLInputElement;
  $("pick-folder").addEventListener("click", () => folder.click());
  folder.addEventListener("change", () => {
    const files = [...(folder.files ?? [])];
    if (files.length > 0) actions.loadFolder(files);
    folder.value = "";
  });
  const drop = $("drop");
  // dragenter/dragleave fire for every child crossed: count them to know when the drag left.
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
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length > 1) actions.loadFolder(files);
    else if (files[0]) actions.loadFile(files[0]);
  });
}

export function bindInputs(actions: PageActions): void {
  $("play").addEventListener("click", () => actions.togglePlay());
  $("step").addEventListener("click", () => actions.step());
  $("reset").addEventListener("click", () => actions.reset());
  bindKeys(actions);
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="add"]')) {
    radio.addEventListener("change", () => {
      if (radio.checked) actions.setAddMode(radio.value as AddMode);
    });
  }
  $("clear-added").addEventListener("click", () => actions.clearAdded());
  const speed = $("speed") as HTMLSelectElement;
  speed.addEventListener("change", () => actions.setSpeed(speed.value));
  bindFiles(actions);
  window.addEventListener("hashchange", () => actions.linkChanged());
  window.addEventListener("resize", () => actions.resized());
  $("export-json").addEventListener("click", () => actions.exportModel());
  $("export-png").addEventListener("click", () => actions.exportPng());
  $("export-svg").addEventListener("click", () => actions.exportSvg());
  $("export-csv").addEventListener("click", () => actions.exportHistory());
}
