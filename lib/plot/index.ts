import { TensileError } from '../errors.js';
import type { History } from '../models/callbacks.js';
import { type CurvesSvgOptions, curvesSvg } from './curves-svg.js';
import { readLogdir } from './logdir.js';

export { curvesSvg, niceTicks } from './curves-svg.js';
export type { Curves, CurvesSvgOptions } from './curves-svg.js';
export { readLogdir } from './logdir.js';

/**
 * The curves of a History (what fit and fitDataset resolve to) as an SVG document.
 * @example writeFileSync('curves.svg', tl.plot.historySvg(await model.fit(x, y, { epochs: 20, validationSplit: 0.1 })));
 */
export function historySvg(history: History, options: CurvesSvgOptions = {}): string {
  if (!history || typeof history !== 'object' || !history.history)
    throw new TensileError('plot.historySvg', 'expected the History that fit resolves to');
  return curvesSvg(history.history, { steps: history.epoch.map((e) => e + 1), ...options });
}

/**
 * The epoch curves of a TensorBoard log folder (tl.callbacks.tensorBoard's logdir) as an SVG document;
 * the CLI's `tensile plot <logdir> -o curves.svg`.
 * @example writeFileSync('curves.svg', tl.plot.logdirSvg('logs/run1'));
 */
export function logdirSvg(logdir: string, options: CurvesSvgOptions = {}): string {
  const { curves, steps } = readLogdir(logdir);
  return curvesSvg(curves, { steps, ...options });
}
