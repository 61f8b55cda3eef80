/**
 * reglab's public API: the engine, data, training, experiments and plots. Browser-safe; Node-only
 * helpers (file loading, PNG output) live in "reglab/node".
 */

export { ACTIVATIONS, type Activation } from "./core/activations.js";
export { MASK_POLICIES, type MaskPolicy } from "./core/dropout.js";
export type { KernelBackend, Kernels } from "./core/kernels.js";
export { fromRows, type Matrix, matrix, transpose } from "./core/matrix.js";
export {
  ensembleUncertainty,
  type McDropoutOptions,
  mcDropoutPasses,
  type Passes,
  predictWithUncertainty,
  summarizePasses,
  thinnedNetwork,
  type Uncertainty,
  type UncertaintyMethod,
} from "./core/mc-dropout.js";
export { accuracy, INITIALIZATIONS, type Initialization, Network } from "./core/network.js";
export { createOptimizer, OPTIMIZERS, type Optimizer, type OptimizerSpec } from "./core/optimizers.js";
export { RandomState } from "./core/random.js";
export {
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelFile,
  ModelFormatError,
  modelFromJSON,
  modelKeepProbs,
  modelToJSON,
  parseModel,
} from "./core/serialize.js";
export type { HelperInit, SpawnHelper } from "./core/wasm/threads.js";
export {
  type BlockSizes,
  createKernels,
  KernelMemoryError,
  type KernelOptions,
  wasmKernelsAvailable,
} from "./core/wasm-kernels.js";
export {
  type DataBundle,
  DataError,
  type Dataset,
  fromExampleRows,
  subset,
  validateDataset,
} from "./data/dataset.js";
export { parseCsv } from "./data/formats/csv.js";
export { parseJsonData } from "./data/formats/json.js";
export { type MatArray, matToBundle, readMat } from "./data/formats/mat.js";
export {
  DATASET_NAMES,
  DATASETS,
  type DatasetName,
  type GeneratorOptions,
  generateDataset,
} from "./data/generators.js";
export { kFold, trainDevSplit } from "./data/split.js";
export {
  COMPARE_MODELS,
  type ComparisonEarlyStopping,
  type ComparisonModel,
  type ComparisonRow,
  EARLY_STOPPING_MODEL,
  explainRow,
  holm,
  type PairwiseTest,
  pairwiseMcNemar,
  runComparison,
  SEED_MODELS,
  type SeedScore,
  significanceLine,
  testSpread,
} from "./experiments/compare.js";
export {
  type DataRef,
  DataResolver,
  type FitJob,
  type FitJobResult,
  inProcessRunner,
  type JobRunner,
  type JobScore,
  runFitJob,
} from "./experiments/jobs.js";
export {
  type Point,
  type ProbabilityMap,
  probabilityMap,
  type Recommendation,
  recommend,
  recommendZones,
  trainEnsemble,
  type Zone,
  type ZoneOptions,
} from "./experiments/recommend.js";
export {
  type BoundaryStats,
  type BuiltReport,
  boundaryStats,
  buildReport,
  describeModel,
  type ReportFigure,
  type ReportOptions,
} from "./experiments/report-html.js";
export { type Interval, mcnemar, wilsonInterval } from "./experiments/stats.js";
export {
  chooseWinner,
  runSweep,
  SELECTION_RULES,
  type SelectionRule,
  type Spread,
  SweepError,
  type SweepPoint,
  type SweepResult,
  type SweepSpec,
} from "./experiments/sweep.js";
export * from "./plot/index.js";
export { type KickMapOptions, plotKickMap } from "./plot/kick-map.js";
export { buildNetwork } from "./training/build.js";
export type { Callback, TrainContext } from "./training/callbacks.js";
export {
  analyzeMonotonic,
  type CheckOptions,
  type CheckReport,
  type MonotonicReport,
  runChecks,
} from "./training/check.js";
export {
  ConfigError,
  DEFAULT_RUN_CONFIG,
  type ModelConfig,
  type RunConfig,
  resolveRunConfig,
  type TrainConfig,
} from "./training/config.js";
export {
  EarlyStopping,
  type EarlyStoppingOptions,
  type EarlyStoppingSettings,
  earlyStopping,
  MONITORS,
  type Monitor,
} from "./training/early-stopping.js";
export { DivergenceError } from "./training/errors.js";
export {
  type EvaluationOptions,
  evaluateNetwork,
  evaluationCallback,
  scoreNetwork,
} from "./training/evaluate.js";
export {
  type GradientCheckOptions,
  type GradientCheckResult,
  gradientCheck,
} from "./training/gradient-check.js";
export type { Evaluation, History } from "./training/history.js";
export { type FitResult, fit, type TrainOptions, train } from "./training/train.js";
export { Trainer, type TrainerOptions } from "./training/trainer.js";
