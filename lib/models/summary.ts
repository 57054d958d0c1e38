import { InputLayer } from '../layers/input-layer.js';
import type { Layer, SymbolicShape } from '../layers/layer.js';
import type { Node } from '../layers/node.js';
import type { Variable } from '../layers/variable.js';

const fmtShape = (s: SymbolicShape | undefined) =>
  s ? `(${s.map((d) => (d === null ? 'None' : d)).join(', ')}${s.length === 1 ? ',' : ''})` : '?';

/** Keras' summary table: layer (type), output shape, parameter count; totals split trainable / non-trainable. */
export function summaryText(
  name: string,
  layers: readonly Layer[],
  outputShapes: readonly (SymbolicShape | undefined)[],
  lineLength = 65,
): string {
  const cols = [Math.floor(lineLength * 0.45), Math.floor(lineLength * 0.85)];
  const row = (a: string, b: string, c: string) => {
    let line = ` ${a}`;
    line = (line.length >= cols[0] ? line.slice(0, cols[0] - 1) + ' ' : line.padEnd(cols[0])) + b;
    line = (line.length >= cols[1] ? line.slice(0, cols[1] - 1) + ' ' : line.padEnd(cols[1])) + c;
    return line.padEnd(lineLength);
  };
  const lines = [
    `Model: "${name}"`,
    '_'.repeat(lineLength),
    row('Layer (type)', 'Output Shape', 'Param #'),
    '='.repeat(lineLength),
  ];
  let trainable = 0;
  let frozen = 0;
  layers.forEach((l, i) => {
    if (i > 0) lines.push(' '.repeat(lineLength));
    lines.push(row(`${l.name} (${l.className})`, fmtShape(outputShapes[i]), String(l.countParams())));
    for (const v of l.weights) {
      if (v.trainable) trainable += v.value.size;
      else frozen += v.value.size;
    }
  });
  lines.push(
    '='.repeat(lineLength),
    `Total params: ${(trainable + frozen).toLocaleString('en-US')}`,
    `Trainable params: ${trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${frozen.toLocaleString('en-US')}`,
    '_'.repeat(lineLength),
  );
  return lines.join('\n');
}

/**
 * Keras' summary of a graph: layer (type), output shape, parameters and, for each call of the layer in the
 * graph, the tensors it takes ("Connected to": `layer[call][output]`).
 */
export function graphSummaryText(
  name: string,
  layers: readonly Layer[],
  nodes: ReadonlySet<Node>,
  trainableWeights: readonly Variable[],
  weights: readonly Variable[],
  lineLength = 98,
): string {
  const cols = [0.33, 0.55, 0.67].map((f) => Math.floor(lineLength * f));
  const row = (cells: string[]) => {
    let line = '';
    cells.forEach((c, i) => {
      const text = ` ${c}`;
      if (i === 0) line = text;
      else
        line =
          (line.length >= cols[i - 1] ? line.slice(0, cols[i - 1] - 1) + ' ' : line.padEnd(cols[i - 1])) +
          text.slice(1);
    });
    return line.padEnd(lineLength);
  };
  const lines = [
    `Model: "${name}"`,
    '_'.repeat(lineLength),
    row(['Layer (type)', 'Output Shape', 'Param #', 'Connected to']),
    '='.repeat(lineLength),
  ];
  layers.forEach((l, i) => {
    if (i > 0) lines.push(' '.repeat(lineLength));
    const own = l.inboundNodes.filter((n) => nodes.has(n));
    const shapes = own.map((n) => n.outputs.map((y) => fmtShape(y.shape)).join(', '));
    const shape = l instanceof InputLayer ? `[${shapes[0] ?? '?'}]` : (shapes[0] ?? '?');
    const connected = own.map(
      (n) => `[${n.dependencies.map((x) => `'${x.sourceLayer.name}[${x.nodeIndex}][${x.tensorIndex}]'`).join(', ')}]`,
    );
    lines.push(row([`${l.name} (${l.className})`, shape, String(l.countParams()), connected[0] ?? '[]']));
    for (const c of connected.slice(1)) lines.push(row(['', '', '', c]));
  });
  const total = weights.reduce((n, v) => n + v.value.size, 0);
  const trainable = trainableWeights.reduce((n, v) => n + v.value.size, 0);
  lines.push(
    '='.repeat(lineLength),
    `Total params: ${total.toLocaleString('en-US')}`,
    `Trainable params: ${trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`,
    '_'.repeat(lineLength),
  );
  return lines.join('\n');
}
