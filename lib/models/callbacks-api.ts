// tl.callbacks.*: the built-in callbacks' factories.
export { earlyStopping, learningRateScheduler } from './callbacks.js';
