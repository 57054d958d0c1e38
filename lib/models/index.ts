export { Sequential, sequential } from './sequential.js';
export { LayersModel, model } from './model.js';
export { input } from '../layers/input-layer.js';
export type { InputArgs } from '../layers/input-layer.js';
export { SymbolicTensor } from '../layers/symbolic-tensor.js';
export type { CompileArgs, OneLoss, OneMetric, PerOutput } from './losses-of-outputs.js';
export type { FitOptions } from './training.js';
export type { EvaluateOptions, PredictOptions } from './inference.js';
export type { DataLike, ModelData } from './data.js';
export type { FitDatasetOptions, EvaluateDatasetOptions, BatchSource, DatasetBatch } from './fit-dataset.js';
export {
  History,
  BaseCallback,
  EarlyStopping,
  LearningRateScheduler,
  ModelCheckpoint,
  TerminateOnNaN,
} from './callbacks.js';
export type { Callback, Logs, EarlyStoppingOptions, ModelCheckpointOptions } from './callbacks.js';
export * as callbacks from './callbacks-api.js';
export { TensorBoard } from './tensorboard.js';
export type { TensorBoardOptions } from './tensorboard.js';
export { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
export type { ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { CsvLogger } from './csv-logger.js';
export type { CsvLoggerOptions } from './csv-logger.js';
export { LambdaCallback } from './lambda-callback.js';
export type { LambdaCallbackOptions } from './lambda-callback.js';
