import { InvalidArgumentError } from "commander";
import { MAX_ITERATIONS, quote } from "../index.js";

/** Option parsers for commander: each throws a message that names what was expected. */

export function parseNumber(what: string, check: (v: number) => boolean = Number.isFinite) {
  return (raw: string): number => {
    const v = raw.trim() === "" ? Number.NaN : Number(raw);
    if (!Number.isFinite(v) || !check(v))
      throw new InvalidArgumentError(`expected ${what}, got ${quote(raw)}`);
    return v;
  };
}

export const nonNegativeNumber = parseNumber("a number ≥ 0", (v) => v >= 0);
export const positiveInteger = parseNumber("a whole number ≥ 1", (v) => Number.isInteger(v) && v >= 1);
export const iterationCount = parseNumber(
  `a whole number in [1, ${MAX_ITERATIONS}]`,
  (v) => Number.isInteger(v) && v >= 1 && v <= MAX_ITERATIONS,
);
export const nonNegativeInteger = parseNumber("a whole number ≥ 0", (v) => Number.isInteger(v) && v >= 0);
export const seedNumber = parseNumber(
  "a whole number in [0, 2^32)",
  (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32,
);

/** A comma-separated list of numbers, each checked by `item`. */
export function parseList<T = number>(item: (raw: string) => T, what: string, allowEmpty = false) {
  return (raw: string): T[] => {
    const parts = raw.split(",").map((s) => s.trim());
    if (raw.trim() === "") {
      if (allowEmpty) return [];
      throw new InvalidArgumentError(`expected ${what}, got an empty list`);
    }
    return parts.map((part) => {
      try {
        return item(part);
      } catch {
        throw new InvalidArgumentError(`expected ${what}, got ${quote(raw)}`);
      }
    });
  };
}

export function oneOf<T extends string>(choices: readonly T[]) {
  return (raw: string): T => {
    if (!(choices as readonly string[]).includes(raw)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(", ")}, got ${quote(raw)}`);
    }
    return raw as T;
  };
}

const keepProbability = parseNumber("a probability in (0, 1]", (v) => v > 0 && v <= 1);

/**
 * A sweep's keepProb grid, "0.5:1,0.7:1,0.86": commas separate the settings to try, colons the
 * hidden layers within one (where `keepProbList` above reads one setting, commas between layers).
 */
export const keepProbGrid = parseList((raw: string): number | number[] => {
  const layers = raw.split(":").map((v) => keepProbability(v));
  return layers.length === 1 ? layers[0] : layers;
}, "keep probabilities in (0, 1] like 0.7,0.86,1, or per hidden layer like 0.5:1,0.86:0.86");
