export { Sequential, sequential } from './sequential.js';
export type { CompileArgs } from './sequential.js';
export type { FitOptions, EvaluateOptions } from './training.js';
export type { DataLike } from './data.js';
export { History, BaseCallback, EarlyStopping, LearningRateScheduler } from './callbacks.js';
export type { Callback, Logs, EarlyStoppingOptions } from './callbacks.js';
export * as callbacks from './callbacks-api.js';
