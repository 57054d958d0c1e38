import { TensileError } from '../errors.js';
import { normal, uniform } from '../tensor/random.js';
import { type Shape, sizeOf } from '../tensor/shape.js';
import { lookup, unknownName } from '../internal/names.js';

/** Fills a new weight of a shape; seeded through tl.setSeed. */
export type Initializer = (shape: Shape) => Float32Array;

/** Keras' fans: the last two axes are [in, out]; the rest is the receptive field (conv kernels). */
export function fans(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = sizeOf(shape.slice(0, -2));
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

const fill = (shape: Shape, draw: () => number): Float32Array => {
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = draw();
  return out;
};

/** Normal redrawn until within two standard deviations (Keras' truncated normal). */
const truncated = (std: number) => () => {
  for (;;) {
    const v = normal();
    if (Math.abs(v) <= 2) return v * std;
  }
};

export type Mode = 'fanIn' | 'fanOut' | 'fanAvg';
/** Keras VarianceScaling: the normal variants are truncated, with std corrected for the truncation. */
export function varianceScaling(scale: number, mode: Mode, distribution: 'uniform' | 'truncatedNormal'): Initializer {
  return (shape) => {
    const [fanIn, fanOut] = fans(shape);
    const n = Math.max(1, mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2);
    if (distribution === 'uniform') {
      const limit = Math.sqrt((3 * scale) / n);
      return fill(shape, () => (uniform() * 2 - 1) * limit);
    }
    return fill(shape, truncated(Math.sqrt(scale / n) / 0.8796256610342398));
  };
}

/** Orthogonal (Saxe et al.): QR of a normal matrix by modified Gram–Schmidt, signs fixed as Keras does. */
function orthogonal(gain = 1): Initializer {
  return (shape) => {
    if (shape.length < 2) throw new TensileError('orthogonal', `needs a shape of rank ≥ 2, got [${shape.join(', ')}]`);
    const cols = shape[shape.length - 1];
    const rows = sizeOf(shape) / cols;
    // Orthonormalise the columns of a tall matrix [big, small], then transpose if rows < cols.
    const [big, small] = rows >= cols ? [rows, cols] : [cols, rows];
    const q = Array.from({ length: small }, () => Float64Array.from({ length: big }, normal));
    for (let j = 0; j < small; j++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let r = 0; r < big; r++) dot += q[i][r] * q[j][r];
        for (let r = 0; r < big; r++) q[j][r] -= dot * q[i][r];
      }
      let norm = 0;
      for (let r = 0; r < big; r++) norm += q[j][r] * q[j][r];
      norm = Math.sqrt(norm) || 1;
      for (let r = 0; r < big; r++) q[j][r] /= norm;
    }
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? q[c][r] : q[r][c]);
    return out;
  };
}

export const INITIALIZERS: Readonly<Record<string, Initializer>> = {
  zeros: (s) => new Float32Array(sizeOf(s)),
  ones: (s) => new Float32Array(sizeOf(s)).fill(1),
  glorotUniform: varianceScaling(1, 'fanAvg', 'uniform'),
  glorotNormal: varianceScaling(1, 'fanAvg', 'truncatedNormal'),
  heUniform: varianceScaling(2, 'fanIn', 'uniform'),
  heNormal: varianceScaling(2, 'fanIn', 'truncatedNormal'),
  lecunUniform: varianceScaling(1, 'fanIn', 'uniform'),
  lecunNormal: varianceScaling(1, 'fanIn', 'truncatedNormal'),
  randomNormal: (s) => fill(s, () => 0.05 * normal()),
  randomUniform: (s) => fill(s, () => (uniform() * 2 - 1) * 0.05),
  truncatedNormal: (s) => fill(s, truncated(0.05)),
  orthogonal: orthogonal(),
};

export type InitializerIdentifier = keyof typeof INITIALIZERS | (string & {});

/** Resolve an initializer by name (camelCase, snake_case or Keras class name). */
export function getInitializer(op: string, name: InitializerIdentifier | Initializer): Initializer {
  if (typeof name === 'function') return name;
  const init = lookup(INITIALIZERS, name, { Zeros: 'zeros', Ones: 'ones', RandomNormal: 'randomNormal' });
  if (!init) throw new TensileError(op, unknownName('initializer', name, Object.keys(INITIALIZERS)));
  return init;
}

/** The registry name of an initializer, for getConfig. */
export function initializerName(init: Initializer): string | undefined {
  return Object.keys(INITIALIZERS).find((k) => INITIALIZERS[k] === init);
}
