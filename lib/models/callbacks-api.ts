// tl.callbacks.*: the built-in callbacks' factories.
export { earlyStopping, learningRateScheduler, modelCheckpoint, terminateOnNaN } from './callbacks.js';
