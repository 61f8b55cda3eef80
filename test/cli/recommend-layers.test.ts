import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, expectUsageError } from "../support/io.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-recommend-layers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The built-in football stand-in, a layered network of dense and dropout layers (few iterations).
const train = (layers: string, save: string) =>
  cli("train", "--layers", layers, "--iterations", "300", "--save", save, "--quiet");

describe("recommend with a layered model file", () => {
  it("maps the zones from MC dropout with the model's dropout layers on, and refuses one without", async () => {
    const model = join(dir, "layered.json");
    const t = await train("20,dropout:0.8,3", model);
    expect(t.code, t.err).toBe(0);
    expect(JSON.parse(readFileSync(model, "utf8")).version).toBe(3);
    const r = await cli(
      "recommend",
      "--model",
      model,
      "--samples",
      "40",
      "--grid",
      "20",
      "--out",
      join(dir, "out"),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /Uncertainty: MC dropout, 40 passes with dropout kept on at prediction \(its dropout:0\.8 layers\)/,
    );
    const json = JSON.parse(readFileSync(join(dir, "out", "recommend.json"), "utf8"));
    expect(json.uncertainty).toMatchObject({
      method: "mc-dropout",
      samples: 40,
      dropoutLayers: ["dropout:0.8"],
    });
    expect(json.model.layers).toBe("20,dropout:0.8,3,1");
    // The same seed, the same map.
    const again = await cli("recommend", "--model", model, "--samples", "40", "--grid", "20", "--json");
    expect(JSON.parse(again.out).zones).toEqual(json.zones);

    const plain = join(dir, "plain.json");
    expect((await train("maxpool:1,20,3", plain)).code).toBe(0);
    await expectUsageError(
      ["recommend", "--model", plain, "--samples", "40"],
      /plain\.json is a layered network without a dropout layer/,
    );
  });
});
