import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, and the shared data beside it (../shared/datasets, absent in a user's clone). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED = resolve(REPO_ROOT, "../shared");
export const FOOTBALL_MAT = resolve(SHARED, "datasets/football.mat");
export const HAS_FOOTBALL = existsSync(FOOTBALL_MAT);
export const NO_FOOTBALL_REASON = "football.mat not found in ../shared/datasets (a user's clone)";
export const CLI = resolve(REPO_ROOT, "dist/cli/main.js");
export const CAT_TRAIN_H5 = resolve(SHARED, "datasets/train_catvnoncat.h5");
export const CAT_TEST_H5 = resolve(SHARED, "datasets/test_catvnoncat.h5");
export const HAS_CATS = existsSync(CAT_TRAIN_H5) && existsSync(CAT_TEST_H5);
export const NO_CATS_REASON = "train/test_catvnoncat.h5 not found in ../shared/datasets (a user's clone)";
