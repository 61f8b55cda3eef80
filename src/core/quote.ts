/**
 * Error messages that are safe to print: one line, short, and with no control characters, so a
 * value read from a file can neither break the line, flood the terminal nor send it escape
 * sequences. Loaders quote raw input with {@link quote}; the CLI passes every message through
 * {@link oneLine} before printing it.
 */

/** Longest raw input shown inside a message, in characters. */
export const QUOTE_MAX = 40;
/** Longest error line, in characters. */
export const LINE_MAX = 200;

// C0 and C1 controls, DEL, the Unicode line/paragraph separators and the bidirectional overrides
// (which reorder what the terminal shows).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Replaces every unsafe character by a visible escape (\n, \t, \x1b, \u2028). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
  });
}

/** Cuts `text` to at most `max` characters, marking the cut with "…" (never splitting a surrogate pair). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Raw text shortened and escaped, without quotes: for lists of names and checked numbers. */
export function clip(text: string): string {
  return truncate(escapeControls(text), QUOTE_MAX);
}

/**
 * Raw input as it may appear in a message: escaped, at most {@link QUOTE_MAX} characters, in
 * single quotes. Non-strings are described without serializing them (a value nested thousands
 * deep, or megabytes long, must not end up in a message).
 */
export function quote(value: unknown): string {
  if (typeof value === "string") return `'${clip(value)}'`;
  return describeValue(value);
}

/** A short description of a JSON-like value: numbers and booleans as they are, containers by kind. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "missing";
  switch (typeof value) {
    case "number":
    case "boolean":
    case "bigint":
      return truncate(String(value), QUOTE_MAX);
    case "string":
      return quote(value);
    default:
      if (Array.isArray(value)) return `an array of ${value.length}`;
      return typeof value === "object" ? "an object" : `a ${typeof value}`;
  }
}

/** Longest file path shown in a message; longer ones keep their end, where the file name is. */
export const PATH_MAX = 60;

/** A path as it may appear in a message: escaped, and when long, "…" and its last characters. */
export function clipPath(path: string): string {
  const p = escapeControls(path);
  return p.length <= PATH_MAX ? p : `…${p.slice(p.length - (PATH_MAX - 1))}`;
}

/** A message made printable as one line: controls escaped, at most `max` characters. */
export function oneLine(text: string, max = LINE_MAX): string {
  return truncate(escapeControls(text.trim()), max);
}
