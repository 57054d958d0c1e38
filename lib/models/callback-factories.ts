// Factories of the callbacks that have a file of their own (tl.callbacks.*).
import { CsvLogger, type CsvLoggerOptions } from './csv-logger.js';
import { LambdaCallback, type LambdaCallbackOptions } from './lambda-callback.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';

/** @example model.fit(x, y, { validationSplit: 0.1, callbacks: [tl.callbacks.reduceLROnPlateau({ factor: 0.5, patience: 3 })] }) */
export const reduceLROnPlateau = (o: ReduceLROnPlateauOptions = {}): ReduceLROnPlateau => new ReduceLROnPlateau(o);
/** @example model.fit(x, y, { epochs: 20, callbacks: [tl.callbacks.csvLogger('training.csv', { append: true })] }) */
export const csvLogger = (path: string, o: CsvLoggerOptions = {}): CsvLogger => new CsvLogger(path, o);
/** @example tl.callbacks.lambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) }) */
export const lambdaCallback = (o: LambdaCallbackOptions): LambdaCallback => new LambdaCallback(o);
