export { loadMnist, readIdx } from './mnist.js';
export type { MnistData, MnistOptions } from './mnist.js';
export { loadCsv } from './csv.js';
export type { CsvData } from './csv.js';
export { shuffle, trainTestSplit } from './split.js';
