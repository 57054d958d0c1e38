// tl.callbacks.*: the built-in callbacks' factories.
export { earlyStopping, learningRateScheduler, modelCheckpoint, terminateOnNaN } from './callbacks.js';
export { tensorBoard } from './tensorboard.js';
export { reduceLROnPlateau, csvLogger, lambdaCallback } from './callback-factories.js';
// The classes behind the factories, and their options, for typing and subclassing.
export { EarlyStopping, LearningRateScheduler, ModelCheckpoint, TerminateOnNaN, BaseCallback } from './callbacks.js';
export type { EarlyStoppingOptions, ModelCheckpointOptions, CallbackModel } from './callbacks.js';
export { TensorBoard } from './tensorboard.js';
export type { TensorBoardOptions } from './tensorboard.js';
export { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
export type { ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { CsvLogger } from './csv-logger.js';
export type { CsvLoggerOptions } from './csv-logger.js';
export { LambdaCallback } from './lambda-callback.js';
export type { LambdaCallbackOptions } from './lambda-callback.js';
