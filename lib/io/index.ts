export { loadModel } from './load.js';
export { saveModel } from './save.js';
export type { SaveOptions, SaveResult } from '../models/writer.js';
