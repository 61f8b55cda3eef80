/**
 * Fuzzing every loader (issue 9): bounded runs here, longer ones with `npm run fuzz`
 * (FUZZ_RUNS per property, FUZZ_SEED to replay). See loader-properties.ts for what is checked.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import {
  checkCsv,
  checkJsonData,
  checkMat,
  checkModel,
  checkPointsCsv,
  csvInputs,
  jsonDataInputs,
  matInputs,
  modelInputs,
  settings,
} from "./loader-properties.js";

describe("loaders on fuzzed input: a valid result or one clean line, nothing else", () => {
  it("MAT-files", async () => {
    await fc.assert(fc.asyncProperty(matInputs, checkMat), settings(400));
  });
  it("CSV", () => {
    fc.assert(fc.property(csvInputs, checkCsv), settings(1500));
  });
  it("CSV positions (predict --input)", () => {
    fc.assert(fc.property(csvInputs, checkPointsCsv), settings(1500));
  });
  it("JSON data", () => {
    fc.assert(fc.property(jsonDataInputs, checkJsonData), settings(1500));
  });
  it("model JSON", () => {
    fc.assert(fc.property(modelInputs, checkModel), settings(1500));
  });
});
