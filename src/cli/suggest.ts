/** "Did you mean …?" for a mistyped name: a known alias, else the nearest name by edits. */

/** Names people type for a built-in dataset under another name. */
const ALIASES: Record<string, string> = { mnist: "digits" };

/** Levenshtein distance: insertions, deletions and substitutions. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The known name `typed` most likely meant, or undefined when none is close. */
export function nearestName(typed: string, names: readonly string[]): string | undefined {
  const t = typed.trim().toLowerCase();
  const alias = ALIASES[t];
  if (alias && names.includes(alias)) return alias;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const d = name.startsWith(t) || t.startsWith(name) ? 1 : distance(t, name);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  // Close means a third of the letters or fewer changed (at least one edit allowed).
  return bestDistance <= Math.max(1, Math.floor(t.length / 3)) ? best : undefined;
}
