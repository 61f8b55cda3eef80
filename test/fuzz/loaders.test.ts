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
  fuzz,
  jsonDataInputs,
  matInputs,
  modelInputs,
} from "./loader-properties.js";

describe("loaders on fuzzed input: a valid result or one clean line, nothing else", () => {
  it("MAT-files", async () => {
    await fuzz("MAT-files", fc.asyncProperty(matInputs, checkMat), 400);
  });
  it("CSV", async () => {
    await fuzz("CSV", fc.property(csvInputs, checkCsv), 1500);
  });
  it("CSV positions (predict --input)", async () => {
    await fuzz("CSV positions (predict --input)", fc.property(csvInputs, checkPointsCsv), 1500);
  });
  it("JSON data", async () => {
    await fuzz("JSON data", fc.property(jsonDataInputs, checkJsonData), 1500);
  });
  it("model JSON", async () => {
    await fuzz("model JSON", fc.property(modelInputs, checkModel), 1500);
  });
});

describe("image loaders on fuzzed input (issue 11)", () => {
  it("IDX", async () => {
    await fuzz("IDX", fc.property(idxInputs, checkIdx), 1500);
  });
  it("PNG and JPEG pictures", async () => {
    await fuzz("PNG and JPEG pictures", fc.property(pictureInputs, checkPicture), 600);
  });
  it("labels.csv of a picture folder", async () => {
    await fuzz("labels.csv of a picture folder", fc.property(labelListInputs, checkLabelList), 1500);
  });
  it(`HDF5${HAS_CAT_TEST ? " (mutations of test_catvnoncat.h5)" : " — random bytes only: test_catvnoncat.h5 not in ../shared/datasets"}`, async () => {
    await fuzz("HDF5", fc.property(hdf5Inputs, checkHdf5), 150);
  });
});

describe("labels in every loader (issue 20): the documented encoding or one DataError line", () => {
  it("CSV, with a --test file read against the training classes", async () => {
    await fuzz("CSV labels", fc.property(labelPairs, checkCsvLabels), 1500);
  });
  it('JSON, with and without "classes"', async () => {
    await fuzz(
      'JSON labels, with and without "classes"',
      fc.property(jsonLabelInputs, checkJsonLabels),
      1500,
    );
  });
  it("MAT (y and yval)", async () => {
    await fuzz("MAT labels", fc.property(matLabelInputs, checkMatLabels), 1500);
  });
  it("HDF5 sets, with and without list_classes", async () => {
    await fuzz("HDF5 labels", fc.property(hdf5LabelInputs, checkHdf5Labels), 1500);
  });
  it("a picture folder's labels.csv", async () => {
    await fuzz("labels.csv labels", fc.property(labelPairs, checkLabelListLabels), 1500);
  });
  it("the digits (IDX label bytes, all ten or a pair)", async () => {
    await fuzz("digit labels", fc.property(digitLabelInputs, checkDigitLabels), 1500);
  });
});
