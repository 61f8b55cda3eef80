/**
 * Fuzzing every loader (issue 9): bounded runs here, longer ones with `npm run fuzz`
 * (FUZZ_RUNS per property, FUZZ_SEED to replay). See loader-properties.ts for what is checked.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import {
  checkHdf5,
  checkIdx,
  checkLabelList,
  checkPicture,
  HAS_CAT_TEST,
  hdf5Inputs,
  idxInputs,
  labelListInputs,
  pictureInputs,
} from "./image-properties.js";
import {
  checkCsvLabels,
  checkDigitLabels,
  checkHdf5Labels,
  checkJsonLabels,
  checkLabelListLabels,
  checkMatLabels,
  digitLabelInputs,
  hdf5LabelInputs,
  jsonLabelInputs,
  labelPairs,
  matLabelInputs,
} from "./label-properties.js";
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

describe("image loaders on fuzzed input (issue 11)", () => {
  it("IDX", () => {
    fc.assert(fc.property(idxInputs, checkIdx), settings(1500));
  });
  it("PNG and JPEG pictures", () => {
    fc.assert(fc.property(pictureInputs, checkPicture), settings(600));
  });
  it("labels.csv of a picture folder", () => {
    fc.assert(fc.property(labelListInputs, checkLabelList), settings(1500));
  });
  it(`HDF5${HAS_CAT_TEST ? " (mutations of test_catvnoncat.h5)" : " — random bytes only: test_catvnoncat.h5 not in ../shared/datasets"}`, () => {
    fc.assert(fc.property(hdf5Inputs, checkHdf5), settings(150));
  });
});

describe("labels in every loader (issue 20): the documented encoding or one DataError line", () => {
  it("CSV, with a --test file read against the training classes", () => {
    fc.assert(fc.property(labelPairs, checkCsvLabels), settings(1500));
  });
  it('JSON, with and without "classes"', () => {
    fc.assert(fc.property(jsonLabelInputs, checkJsonLabels), settings(1500));
  });
  it("MAT (y and yval)", () => {
    fc.assert(fc.property(matLabelInputs, checkMatLabels), settings(1500));
  });
  it("HDF5 sets, with and without list_classes", () => {
    fc.assert(fc.property(hdf5LabelInputs, checkHdf5Labels), settings(1500));
  });
  it("a picture folder's labels.csv", () => {
    fc.assert(fc.property(labelPairs, checkLabelListLabels), settings(1500));
  });
  it("the digits (IDX label bytes, all ten or a pair)", () => {
    fc.assert(fc.property(digitLabelInputs, checkDigitLabels), settings(1500));
  });
});
