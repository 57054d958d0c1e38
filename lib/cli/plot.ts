import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TensileError } from '../errors.js';
import { logdirSvg } from '../plot/index.js';

const USAGE = `usage: tensile plot <logdir> [-o curves.svg] [--title TEXT] [--metrics loss,accuracy]

Draws the epoch curves of a TensorBoard log folder (tl.callbacks.tensorBoard's logdir, or Keras') to an SVG file.`;

/** `tensile plot`: parses its arguments; the drawing lives in lib/plot. Returns the exit code. */
export function plotCommand(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o', default: 'curves.svg' },
      title: { type: 'string' },
      metrics: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`tensile plot: expected one log folder, got ${positionals.length}\n${USAGE}`);
    return 1;
  }
  try {
    const svg = logdirSvg(positionals[0], {
      title: values.title,
      metrics: values.metrics?.split(',').map((s) => s.trim()),
    });
    writeFileSync(values.output, svg);
    console.log(`wrote ${values.output}`);
    return 0;
  } catch (err) {
    if (!(err instanceof TensileError)) throw err;
    console.error(`tensile ${err.message}`);
    return 1;
  }
}
