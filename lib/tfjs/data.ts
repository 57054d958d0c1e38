import { CsvDataset, type CsvOptions } from '../data/index.js';

// tf.data as tfjs-data: tensile's datasets, with tfjs-data's typing of CSV cells.
export * from '../data/index.js';

/**
 * tf.data.csv(source, csvConfig): as tl.data.csv, and, as tfjs-data, a cell of a column without a configured
 * dtype that is not a number is kept as its text (tensile's own tl.data.csv refuses it).
 */
export const csv = (source: string, csvConfig: CsvOptions = {}): CsvDataset => new CsvDataset(source, csvConfig, true);
