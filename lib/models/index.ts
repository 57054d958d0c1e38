export { Sequential, sequential } from './sequential.js';
export type { CompileArgs } from './sequential.js';
export type { FitOptions, EvaluateOptions, PredictOptions } from './training.js';
export type { DataLike } from './data.js';
export type { FitDatasetOptions, EvaluateDatasetOptions, BatchSource, DatasetBatch } from './fit-dataset.js';
export { History, BaseCallback, EarlyStopping, LearningRateScheduler, ModelCheckpoint, TerminateOnNaN } from './callbacks.js';
export type { Callback, Logs, EarlyStoppingOptions, ModelCheckpointOptions } from './callbacks.js';
export * as callbacks from './callbacks-api.js';
