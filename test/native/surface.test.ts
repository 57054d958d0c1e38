import { describe, expect, it } from 'vitest';
import {
  BINARY_OPS,
  DENSE_ACTIVATIONS,
  REDUCE_OPS,
  RNN_ACTIVATIONS,
  UNARY_OPS,
  UPDATE_RULES,
} from '../../lib/backend/kinds.js';
import { CUDA_FUNCTIONS } from '../../lib/backend/cuda/addon-types.js';
import { ADDON_FUNCTIONS } from '../../lib/backend/native/signatures.js';
import { addon, nativeLoaded } from '../helpers/backends.js';

describe.skipIf(!nativeLoaded)('addon surface', () => {
  it.each(ADDON_FUNCTIONS)('exports %s as a function', (name) => {
    expect(typeof addon![name]).toBe('function');
  });
  it('exports nothing undeclared', () => {
    expect(Object.keys(addon!).sort()).toEqual([...ADDON_FUNCTIONS, ...CUDA_FUNCTIONS].sort());
  });
  it('numbers its codes as lib/backend/kinds.ts does (ops, activations, losses, metrics, update rules)', () => {
    expect(addon!.opNames()).toEqual({
      unary: [...UNARY_OPS],
      binary: [...BINARY_OPS],
      reduce: [...REDUCE_OPS],
      dense: [...DENSE_ACTIVATIONS],
      rnn: [...RNN_ACTIVATIONS],
      updateRule: [...UPDATE_RULES],
    });
  });
  it('reports its build', () => {
    const info = addon!.info();
    expect(['OpenBLAS', 'builtin']).toContain(info.gemm);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(typeof info.cudaBuilt).toBe('boolean');
  });
});
