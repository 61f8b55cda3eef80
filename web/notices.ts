/**
 * The notice line: one message per source (the link, the settings, the data, the run, why a run
 * stopped, …), shown joined, hidden when there is none. "Dismiss" hides what it shows until a
 * message changes.
 */
import { $ } from "./dom.js";
import type { ModelSnapshot } from "./protocol.js";

export class Notices {
  private readonly messages = new Map<string, string>();
  /** Messages the user dismissed, by source: the same text does not come back. */
  private readonly dismissed = new Map<string, string>();

  constructor() {
    $("notice-close").addEventListener("click", () => {
      for (const [key, text] of this.messages) this.dismissed.set(key, text);
      this.messages.clear();
      this.show();
    });
  }

  set(key: string, text: string): void {
    if (this.dismissed.get(key) === text) return;
    this.dismissed.delete(key);
    this.messages.set(key, text);
    this.show();
  }

  clear(...keys: string[]): void {
    for (const key of keys) {
      this.messages.delete(key);
      this.dismissed.delete(key);
    }
    this.show();
  }

  /** Why each model stopped (early stopping, divergence), with the weights it kept. */
  stops(snaps: readonly ModelSnapshot[]): void {
    const stopped = snaps.filter((m) => m.stopReason);
    if (stopped.length === 0) {
      this.clear("stop");
      return;
    }
    const kept = (m: ModelSnapshot) =>
      m.bestIteration !== undefined ? ` — kept the weights of iteration ${m.bestIteration}` : "";
    this.set(
      "stop",
      stopped.map((m) => `${snaps.length > 1 ? `${m.name}: ` : ""}${m.stopReason}${kept(m)}`).join("; "),
    );
  }

  private show(): void {
    const el = $("notice");
    const line = $("notice-text");
    const text = [...this.messages.values()].join(" · ");
    if (line.textContent !== text) line.textContent = text;
    el.hidden = text === "";
  }
}
