/**
 * Every row of the run settings table, one by one, through every place derived from it: the CLI
 * flag and its check, the job schema, the playground link and its command line, describeConfig,
 * and the config checks of model files and checkpoints (both resolveRunConfig).
 */
import { describe, expect, it } from "vitest";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import type { RegularizerSpec } from "../../src/core/regularizers.js";
import { modelToJSON } from "../../src/core/serialize.js";
import { describeConfig } from "../../src/experiments/describe-config.js";
import { parseModelFile } from "../../src/node/load-model.js";
import { JobValidationError, REGLAB_VERSION, validateQueuedFit } from "../../src/node/queue/job-schema.js";
import { parseCheckpoint } from "../../src/training/checkpoint.js";
import {
  ConfigError,
  DEFAULT_RUN_CONFIG,
  type RunConfig,
  resolveRunConfig,
} from "../../src/training/config.js";
import {
  ARTICLE_SETTINGS,
  EXTRA_SETTINGS,
  optionKey,
  SETTINGS,
  type SettingRow,
  type SettingValue,
  settingOf,
  withSetting,
} from "../../src/training/settings.js";
import {
  cliArgsOf,
  defaultSettings,
  parseSettings,
  runConfigOf,
  serializeSettings,
} from "../../web/state.js";
import { cli } from "../support/io.js";

const isArticle = (row: SettingRow) => (ARTICLE_SETTINGS as readonly SettingRow[]).includes(row);

/** A valid value other than the row's default. */
function otherValue(row: SettingRow): SettingValue {
  if (row.type === "choice") return row.choices.find((c) => c !== row.default)!;
  if (row.type === "text") return "cosine:10";
  if (row.integer) return row.min + 1 === row.default ? row.default + 1 : row.min + 1;
  if (row.max !== undefined) return (row.min + row.max) / 2;
  return row.default + 0.25;
}

/** A value outside the row's range (or not one of its choices), as typed on a command line. */
function badText(row: SettingRow): string {
  if (row.type === "choice") return "bogus";
  if (row.type === "text") return "bogus:1";
  return String(row.minExclusive ? row.min : row.min - 1);
}

const text = (v: SettingValue) => (Array.isArray(v) ? v.join(",") : String(v));

describe("the settings table", () => {
  it("has one row per flag, each with a distinct name, link parameter and config place", () => {
    const names = SETTINGS.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    const params = ARTICLE_SETTINGS.map((r) => r.param);
    expect(new Set(params).size).toBe(params.length);
    // The article's links still load: its parameter names are these.
    expect(params).toEqual(
      expect.arrayContaining([
        "lr",
        "iters",
        "seed",
        "lambda",
        "keep",
        "masks",
        "opt",
        "batch",
        "decay",
        "every",
        "act",
        "init",
      ]),
    );
    for (const row of SETTINGS) {
      expect(row.help.length, row.name).toBeGreaterThan(5);
      expect(settingOf(DEFAULT_RUN_CONFIG, row), row.name).toEqual(row.default);
    }
  });

  it.each(SETTINGS.map((r) => [r.name, r] as const))(
    "--%s: the CLI takes its default and any valid value, and refuses a bad one with one line, exit 2",
    async (_, row) => {
      const flag = `--${row.name}`;
      const ok = await cli("train", flag, text(row.default), "--iterations", "1", "--json", "--quiet");
      expect(ok.code, ok.err).toBe(0);
      const v = otherValue(row);
      const other = await cli("train", "--iterations", "1", flag, text(v), "--json", "--quiet");
      expect(other.code, other.err).toBe(0);
      expect(settingOf(JSON.parse(other.out).config, row)).toEqual(v);
      const bad = await cli("train", flag, badText(row), "--iterations", "1");
      expect(bad.code).toBe(2);
      expect(bad.err.trim().split("\n")).toHaveLength(1);
      expect(bad.err).toContain(flag);
    },
  );

  it("the job schema refuses a wrong type in every row, naming it", () => {
    const job = (config: object) => ({
      reglab: REGLAB_VERSION,
      data: "0".repeat(64),
      job: { config, train: { set: "train" }, score: { train: { set: "train" } } },
    });
    expect(() => validateQueuedFit(job({ iterations: 10 }))).not.toThrow();
    for (const row of SETTINGS) {
      let config: object;
      if (row.type === "number" && row.spec) {
        // A row beyond the article's that adds a spec: its value as a string in the spec.
        const spec = Object.fromEntries(
          Object.entries(row.spec(1)).map(([k, v]) => [k, k === "kind" ? v : String(v)]),
        );
        config = { regularizers: [spec] };
      } else {
        const v = row.type === "number" ? String(row.default) : 1;
        config = { [row.field as string]: row.type === "choice" && row.wrap ? { name: v } : v };
      }
      expect(() => validateQueuedFit(job(config)), row.name).toThrow(JobValidationError);
      expect(() => validateQueuedFit(job(config)), row.name).toThrow(
        row.type === "number" && row.spec ? row.kind! : row.field!,
      );
    }
  });

  it("the playground's link round-trips a value other than the default, and its command line carries it", () => {
    for (const row of SETTINGS) {
      const v = otherValue(row);
      const s = defaultSettings();
      if (isArticle(row)) {
        const key = optionKey(row);
        (s as unknown as Record<string, unknown>)[key] = Array.isArray(s[key as "keepProb"])
          ? s.hidden.map(() => v)
          : v;
      } else s.table = { [row.name]: v as number | string };
      const back = parseSettings(`#${serializeSettings(s)}`);
      expect(back.warnings, row.name).toEqual([]);
      expect(back.settings, row.name).toEqual(s);
      expect(settingOf(runConfigOf(back.settings), row), row.name).toEqual(v);
      const args = cliArgsOf(back.settings);
      expect(args[args.indexOf(`--${row.name}`) + 1], row.name).toBe(text(v));
    }
  });

  it("the playground's command line, every row set at once, is accepted by train and gives its config", async () => {
    const s = parseSettings("data=moons&layers=5,4&iters=40&every=10").settings;
    const table: Record<string, number | string> = {};
    for (const row of SETTINGS) {
      if (row.name === "iterations" || row.name === "cost-every") continue;
      const v = otherValue(row);
      if (!isArticle(row)) table[row.name] = v as number | string;
      else if (row.name === "keep-prob") s.keepProb = [0.5, 0.8];
      else (s as unknown as Record<string, unknown>)[optionKey(row)] = v;
    }
    s.table = table;
    const r = await cli("train", ...cliArgsOf(s), "--json", "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).config).toEqual(runConfigOf(s));
  });

  it("describeConfig names every regularization row when it is set, with its value", () => {
    for (const row of SETTINGS.filter((r) => r.swept)) {
      const v = otherValue(row);
      const line = describeConfig(withSetting<RunConfig>({ ...DEFAULT_RUN_CONFIG }, row, v), 2);
      expect(line, row.name).toContain(row.label);
      expect(line, row.name).toContain(text(v).replace(",", ", "));
    }
  });

  it("a model file's and a checkpoint's config refuse a bad value of every row", () => {
    const net = Network.initialize([2, 20, 3, 1], new RandomState(1));
    for (const row of SETTINGS) {
      const bad = row.type === "number" ? (row.minExclusive ? row.min : row.min - 1) : "bogus:1";
      const config =
        row.type === "number" && row.spec
          ? { regularizers: [row.spec(bad as number) as RegularizerSpec] }
          : { [row.field as string]: row.type === "choice" && row.wrap ? { name: bad } : bad };
      expect(() => resolveRunConfig(config), row.name).toThrow(ConfigError);
      const file = JSON.stringify(modelToJSON(net, { config }));
      expect(() => parseModelFile(file, "m.json"), row.name).toThrow(/m\.json: config/);
      const checkpoint = JSON.stringify({ format: "reglab-checkpoint", version: 1, config, data: "x" });
      expect(() => parseCheckpoint(checkpoint), row.name).toThrow(/its config is invalid/);
    }
  });

  it("the rows beyond the article's travel in set=, the article's in their own parameters", () => {
    for (const row of EXTRA_SETTINGS) expect(row.param, row.name).toBeUndefined();
    const s = parseSettings("lr=0.05&keep=0.5&set=l1:0.01").settings;
    expect(s.learningRate).toBe(0.05);
    expect(s.keepProb).toEqual([0.5, 0.5]);
    expect(s.table).toEqual({ l1: 0.01 });
  });
});
