import { describe, expect, it } from "vitest";
import { clipPath, describeValue, escapeControls, oneLine, quote, truncate } from "../../src/core/quote.js";

describe("quoting raw input in messages", () => {
  it("escapes controls, line breaks, DEL, C1 and bidirectional overrides visibly", () => {
    expect(escapeControls("a\nb\r\tc")).toBe("a\\nb\\r\\tc");
    expect(escapeControls("\u001b]0;title\u0007")).toBe("\\x1b]0;title\\x07");
    expect(escapeControls("\u007f\u009b\u2028\u202e")).toBe("\\x7f\\x9b\\u2028\\u202e");
    expect(escapeControls("plain ascii, é, 中文, 😀")).toBe("plain ascii, é, 中文, 😀");
  });

  it("quotes at most 40 characters, never splitting a surrogate pair", () => {
    expect(quote("9".repeat(400))).toBe(`'${"9".repeat(39)}…'`);
    expect(quote("short")).toBe("'short'");
    const emoji = `${"x".repeat(38)}😀😀`;
    expect(truncate(emoji, 40)).toBe(`${"x".repeat(38)}…`);
  });

  it("describes non-strings without serializing them", () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(describeValue(deep)).toBe("an array of 1");
    expect(describeValue({ a: 1 })).toBe("an object");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("missing");
    expect(describeValue(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(describeValue("x\ny")).toBe("'x\\ny'");
  });

  it("makes one line of at most 200 characters; long paths keep their end", () => {
    const line = oneLine(`first\nsecond ${"z".repeat(500)}`);
    expect(line).toHaveLength(200);
    expect(line).not.toContain("\n");
    expect(line.endsWith("…")).toBe(true);
    const path = `/${"d".repeat(100)}/data.csv`;
    expect(clipPath(path)).toHaveLength(60);
    expect(clipPath(path).endsWith("/data.csv")).toBe(true);
    expect(clipPath("a.csv")).toBe("a.csv");
  });
});
