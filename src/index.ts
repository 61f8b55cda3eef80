/**
 * reglab's public API: the engine, data, training, experiments and plots. Browser-safe; Node-only
 * helpers (file loading, PNG output) live in "reglab/node".
 */

export { ACTIVATIONS, type Activation } from "./core/activations.js";
export { MASK_POLICIES, type MaskPolicy } from "./core/dropout.js";
export {
  headFor,
  type OutputHead,
  outputUnits,
  sigmoidHead,
  smoothLabels,
  softmaxHead,
} from "./core/heads.js";
export type { KernelBackend, Kernels } from "./core/kernels.js";
// Layered networks (convolution, pooling, spatial dropout) and their trainer: issue 23.
export * from "./core/layers/index.js";
export { fromRows, type Matrix, matrix, transpose } from "./core/matrix.js";
export {
  ensembleUncertainty,
  ensembleUncertaintyPaced,
  type McDropoutOptions,
  mcDropoutPasses,
  type Passes,
  type PredictedClass,
  predictedClass,
  predictWithUncertainty,
  predictWithUncertaintyPaced,
  summarizePasses,
  thinnedNetwork,
  type Uncertainty,
  type UncertaintyMethod,
} from "./core/mc-dropout.js";
export type { Model } from "./core/model.js";
export { accuracy, INITIALIZATIONS, type Initialization, Network } from "./core/network.js";
export {
  createOptimizer,
  OPTIMIZERS,
  type Optimizer,
  type OptimizerName,
  type OptimizerSpec,
  withWeightDecay,
} from "./core/optimizers.js";
export { Interrupted, type Pace, Pacer } from "./core/pace.js";
export { LINE_MAX, oneLine, quote } from "./core/quote.js";
export { RandomState } from "./core/random.js";
export {
  buildRegularizer,
  checkRegularizerSpec,
  elastic,
  gaussianDropout,
  gaussianNoise,
  l1,
  l2,
  maxNorm,
  type Regularizer,
  type RegularizerClass,
  type RegularizerSpec,
  registerRegularizer,
  regularizerKinds,
  zeroWeights,
} from "./core/regularizers.js";
export { type LrSchedule, parseSchedule, scheduleFactor } from "./core/schedules.js";
export {
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelFile,
  ModelFormatError,
  modelClassCount,
  modelFromJSON,
  modelKeepProbs,
  modelToJSON,
  parseModel,
} from "./core/serialize.js";
export {
  argmaxColumns,
  softmaxColumns,
  softmaxCrossEntropy,
  softmaxOutputGradient,
} from "./core/softmax.js";
export type { HelperInit, SpawnHelper } from "./core/wasm/threads.js";
export {
  type BlockSizes,
  createKernels,
  KernelMemoryError,
  type KernelOptions,
  PRECISIONS,
  type Precision,
  relaxedSimdAvailable,
  wasmKernelsAvailable,
} from "./core/wasm-kernels.js";
export * from "./data/augment/index.js";
export {
  bundleClassCount,
  classCount,
  type DataBundle,
  DataError,
  type Dataset,
  fromExampleRows,
  type ImageShape,
  imageSize,
  LABEL_RULE,
  MAX_CLASSES,
  subset,
  validateDataset,
  validateFeatures,
} from "./data/dataset.js";
export { DIGITS_SOURCE, type DigitsFiles, type DigitsOptions, digitsBundle } from "./data/digits.js";
export { describeHugeFeatures, formatMagnitude, OVERFLOWING_FEATURE } from "./data/feature-scale.js";
export { decimal, parseCsv, parseCsvData } from "./data/formats/csv.js";
export { type Hdf5Inputs, type Hdf5Keys, parseHdf5, parseHdf5Inputs } from "./data/formats/hdf5.js";
export { type IdxArray, parseIdx } from "./data/formats/idx.js";
export { parseJsonData } from "./data/formats/json.js";
export { type MatArray, matToBundle, readMat } from "./data/formats/mat.js";
export { type LabelList, type Picture, parseLabelList, picturesToMatrix } from "./data/formats/pictures.js";
export {
  DATASET_NAMES,
  DATASETS,
  type DatasetName,
  type GeneratorOptions,
  generateDataset,
} from "./data/generators.js";
export { encodeLabels, type RawLabel } from "./data/labels.js";
export { kFold, trainDevSplit } from "./data/split.js";
export { drawIndices, subsample } from "./data/subsample.js";
export { baselineSentence, baselineSummary } from "./experiments/baseline.js";
export {
  type Calibration,
  type Confidences,
  calibrate,
  calibration,
  confidences,
  ECE_BINS,
  expectedCalibrationError,
  type ReliabilityBin,
} from "./experiments/calibration.js";
export {
  type Claim,
  dropoutCostClaim,
  type KeepPoint,
  type LambdaPoint,
  type NormRun,
  type OverSmoothing,
  orthogonalizationClaim,
  overSmoothing,
  summedNorms,
  weightNormClaims,
  wideLayerClaim,
} from "./experiments/claims.js";
export { CAT_CNN_MODELS, type CnnModelSet, cnnSetFor, DIGIT_CNN_MODELS } from "./experiments/cnn-sets.js";
export {
  COMPARE_MODELS,
  type ComparisonEarlyStopping,
  type ComparisonModel,
  type ComparisonRow,
  calibrationSentence,
  EARLY_STOPPING_MODEL,
  explainRow,
  holm,
  L2_TO_END_MODEL,
  type PairwiseTest,
  pairwiseMcNemar,
  runComparison,
  SEED_MODELS,
  type SeedScore,
  significanceLine,
  sparsitySentence,
  testSpread,
} from "./experiments/compare.js";
export {
  type ClassAccuracy,
  type Confusion,
  confusionJson,
  confusionMatrix,
} from "./experiments/confusion.js";
export {
  type CrossValidationResult,
  type CvModel,
  correctedResampledT,
  crossValidate,
  crossValidationLines,
  poolLabelled,
} from "./experiments/cross-validation.js";
export {
  type DataDefaults,
  type DataKind,
  DIGITS_DEFAULT_TRAIN_SIZE,
  defaultsFor,
  defaultsForShape,
  defaultsHelp,
  estimateLayeredSeconds,
  estimateSeconds,
  formatDuration,
  LONG_RUN_SECONDS,
} from "./experiments/data-defaults.js";
export { type DescribeOptions, describeConfig } from "./experiments/describe-config.js";
export { trainEnsemble } from "./experiments/ensemble.js";
export { round3 } from "./experiments/format.js";
export {
  type DataRef,
  DataResolver,
  type FitJob,
  type FitJobResult,
  fitAugmented,
  inProcessRunner,
  type JobRunner,
  type JobScore,
  runFitJob,
} from "./experiments/jobs.js";
export { learningRateJobs, PROBE_FACTORS, runLearningRateProbe } from "./experiments/lr-probe.js";
export {
  CAT_BASE,
  CAT_MODELS,
  DIGIT_BASE,
  DIGIT_MODELS,
  type ModelSet,
  type ModelSetName,
  modelSetFor,
  pickModels,
} from "./experiments/model-sets.js";
export {
  mcnemarPower,
  minimumDetectableGain,
  pairPowerStatements,
  powerLines,
  powerStatement,
} from "./experiments/power.js";
export { type Recommendation, recommend } from "./experiments/recommend.js";
export {
  adamwClaim,
  type LearningRatePoint,
  l1SparsityClaim,
  labelSmoothingCalibrationClaim,
  maxNormLearningRateClaim,
  regularizerThresholdsText,
} from "./experiments/regularizer-claims.js";
export { reportClaims } from "./experiments/report-claims.js";
export {
  type BoundaryStats,
  type BuiltReport,
  boundaryStats,
  buildReport,
  describeModel,
  type ReportFigure,
  type ReportOptions,
} from "./experiments/report-html.js";
export {
  maxNormRow,
  type RegularizerClaims,
  regularizerClaims,
  regularizerClaimsSection,
} from "./experiments/report-regularizer-claims.js";
export { type Interval, mcnemar, wilsonInterval } from "./experiments/stats.js";
export {
  chooseWinner,
  type KeepProb,
  keepProbText,
  meanKeep,
  runSweep,
  SELECTION_RULES,
  type SelectionRule,
  type Spread,
  SweepError,
  type SweepPoint,
  type SweepResult,
  type SweepSpec,
} from "./experiments/sweep.js";
export {
  configLabel,
  lambdaReading,
  overSmoothingNote,
  sweptAxes,
  wideLayerNote,
} from "./experiments/sweep-analysis.js";
export { sweepPlot } from "./experiments/sweep-figures.js";
export { probabilityMap, recommendZones, type ZoneOptions, zoneMembership } from "./experiments/zones.js";
export * from "./plot/index.js";
export { type KickMapOptions, plotKickMap } from "./plot/kick-map.js";
export { resolveView } from "./plot/plane.js";
export type { Point, ProbabilityMap, Zone } from "./plot/probability-map.js";
export { buildNetwork } from "./training/build.js";
export type { Callback, TrainContext } from "./training/callbacks.js";
export {
  analyzeMonotonic,
  type CheckOptions,
  type CheckReport,
  type CostCheck,
  DEFAULT_CHECK_ITERATIONS,
  DEFAULT_GRADIENT_THRESHOLD,
  DEFAULT_MAX_RISE,
  LAYERED_CHECK_PER_ARRAY,
  type MonotonicReport,
  type Rise,
  riseShare,
  runChecks,
} from "./training/check.js";
export {
  type Checkpoint,
  CheckpointError,
  checkpointToJSON,
  fingerprintData,
  parseCheckpoint,
} from "./training/checkpoint.js";
export {
  ConfigError,
  DEFAULT_RUN_CONFIG,
  MAX_ITERATIONS,
  type ModelConfig,
  type RunConfig,
  resolveRunConfig,
  type TrainConfig,
} from "./training/config.js";
export { divergenceAdvice } from "./training/divergence.js";
export {
  DEFAULT_PATIENCE,
  EarlyStopping,
  type EarlyStoppingOptions,
  type EarlyStoppingSettings,
  earlyStopping,
  MONITORS,
  type Monitor,
} from "./training/early-stopping.js";
export { DivergenceError, TrainingInterrupted } from "./training/errors.js";
export {
  DEFAULT_EVALUATE_EVERY,
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
export { layeredGradientCheck } from "./training/layer-gradient-check.js";
export {
  fitLayered,
  inputShapeOf,
  type LayeredFitResult,
  LayerTrainer,
  type LayerTrainerOptions,
  layersFor,
} from "./training/layer-trainer.js";
export {
  checkLayeredTrainingMemory,
  estimateLayeredTrainingMemory,
  type LayeredMemory,
  layeredMultiplyAdds,
  layeredParameterCount,
} from "./training/memory.js";
export {
  type RunSettings,
  type RunState,
  type StatefulCallback,
  type StopReason,
  TrainingRun,
} from "./training/run.js";
export {
  ARTICLE_SETTINGS,
  type ArticleRow,
  activeSettings,
  type ChoiceRow,
  checkSetting,
  EXTRA_SETTINGS,
  expectedText,
  type NumberRow,
  type OptionKey,
  optionKey,
  type RowValue,
  rangeText,
  SETTINGS,
  type SettingRow,
  type SettingValue,
  settingOf,
  settingRow,
  withSetting,
} from "./training/settings.js";
export type { Stepper } from "./training/stepper.js";
export { type FitOptions, type FitResult, fit, type TrainOptions, train } from "./training/train.js";
export { Trainer, type TrainerOptions, type TrainerState } from "./training/trainer.js";
