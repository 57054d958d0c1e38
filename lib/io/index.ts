export { loadModel } from './load.js';
export { saveModel } from './save.js';
export type { SaveOptions, SaveResult } from './save.js';
