/**
 * A bound on how deeply a parsed JSON value nests. Files read from disk are checked against it
 * before anything walks them, so no recursive walk (ours or a library's) can overflow the stack.
 */

/** Deeper than any file reglab writes (a model file nests 3 levels, a dataset 3). */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests arrays or objects more than `max` levels deep; iterative, stops early. */
export function nestsDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
