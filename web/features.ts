/**
 * Engineered input features, as TensorFlow Playground offers them: x₁², x₂², x₁x₂, sin x₁, sin x₂
 * appended to the two coordinates. The page draws and clicks in the plane (x₁, x₂); the worker
 * trains on, and evaluates the boundary grid with, the expanded inputs. Pure: no DOM.
 */
import { type Matrix, matrix } from "../src/core/matrix.js";
import type { Dataset } from "../src/data/dataset.js";

export const FEATURES = ["x1sq", "x2sq", "x1x2", "sin1", "sin2"] as const;
export type Feature = (typeof FEATURES)[number];

export const FEATURE_LABELS: Readonly<Record<Feature, string>> = {
  x1sq: "x₁²",
  x2sq: "x₂²",
  x1x2: "x₁x₂",
  sin1: "sin x₁",
  sin2: "sin x₂",
};

const FORMULAS: Readonly<Record<Feature, (a: number, b: number) => number>> = {
  x1sq: (a) => a * a,
  x2sq: (_, b) => b * b,
  x1x2: (a, b) => a * b,
  sin1: (a) => Math.sin(a),
  sin2: (_, b) => Math.sin(b),
};

/** The input names in order: x₁, x₂, then the chosen features. */
export function inputLabels(features: readonly Feature[]): string[] {
  return ["x₁", "x₂", ...features.map((f) => FEATURE_LABELS[f])];
}

/** X (2 × m, the plane) with one row appended per feature; X itself when there are none. */
export function withFeatures(X: Matrix, features: readonly Feature[]): Matrix {
  if (features.length === 0) return X;
  if (X.rows !== 2) throw new RangeError(`engineered features need 2 inputs, the data has ${X.rows}`);
  const m = X.cols;
  const out = matrix(2 + features.length, m);
  out.data.set(X.data);
  features.forEach((f, k) => {
    const fn = FORMULAS[f];
    const row = (2 + k) * m;
    for (let j = 0; j < m; j++) out.data[row + j] = fn(X.data[j], X.data[m + j]);
  });
  return out;
}

export function datasetWithFeatures(d: Dataset, features: readonly Feature[]): Dataset {
  return features.length === 0 ? d : { X: withFeatures(d.X, features), y: d.y };
}
