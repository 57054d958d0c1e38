// tl.callbacks.*: the built-in callbacks' factories.
export { earlyStopping, learningRateScheduler, modelCheckpoint } from './callbacks.js';
