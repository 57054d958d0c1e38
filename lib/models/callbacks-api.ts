// tl.callbacks.*: the built-in callbacks' factories.
export { earlyStopping, learningRateScheduler, modelCheckpoint, terminateOnNaN } from './callbacks.js';
export { tensorBoard } from './tensorboard.js';
export { reduceLROnPlateau, csvLogger, lambdaCallback } from './callback-factories.js';
