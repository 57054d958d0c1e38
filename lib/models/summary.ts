import type { Layer, SymbolicShape } from '../layers/layer.js';

const fmtShape = (s: SymbolicShape | undefined) => (s ? `(${s.map((d) => (d === null ? 'None' : d)).join(', ')}${s.length === 1 ? ',' : ''})` : '?');

/** Keras' summary table: layer (type), output shape, parameter count; totals split trainable / non-trainable. */
export function summaryText(name: string, layers: readonly Layer[], outputShapes: readonly (SymbolicShape | undefined)[], lineLength = 65): string {
  const cols = [Math.floor(lineLength * 0.45), Math.floor(lineLength * 0.85)];
  const row = (a: string, b: string, c: string) => {
    let line = ` ${a}`;
    line = (line.length >= cols[0] ? line.slice(0, cols[0] - 1) + ' ' : line.padEnd(cols[0])) + b;
    line = (line.length >= cols[1] ? line.slice(0, cols[1] - 1) + ' ' : line.padEnd(cols[1])) + c;
    return line.padEnd(lineLength);
  };
  const lines = [`Model: "${name}"`, '_'.repeat(lineLength), row('Layer (type)', 'Output Shape', 'Param #'), '='.repeat(lineLength)];
  let trainable = 0;
  let frozen = 0;
  layers.forEach((l, i) => {
    if (i > 0) lines.push(' '.repeat(lineLength));
    lines.push(row(`${l.name} (${l.className})`, fmtShape(outputShapes[i]), String(l.countParams())));
    for (const v of l.weights) (v.trainable ? (trainable += v.value.size) : (frozen += v.value.size));
  });
  lines.push('='.repeat(lineLength), `Total params: ${(trainable + frozen).toLocaleString('en-US')}`,
    `Trainable params: ${trainable.toLocaleString('en-US')}`, `Non-trainable params: ${frozen.toLocaleString('en-US')}`, '_'.repeat(lineLength));
  return lines.join('\n');
}
