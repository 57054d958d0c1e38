import { describe, expect, it } from 'vitest';
import { ADDON_FUNCTIONS } from '../../lib/backend/native/addon-types.js';
import { addon, nativeLoaded } from '../helpers/backends.js';

describe.skipIf(!nativeLoaded)('addon surface', () => {
  it.each(ADDON_FUNCTIONS)('exports %s as a function', (name) => {
    expect(typeof addon![name]).toBe('function');
  });
  it('exports nothing undeclared', () => {
    expect(Object.keys(addon!).sort()).toEqual([...ADDON_FUNCTIONS].sort());
  });
  it('reports its build', () => {
    const info = addon!.info();
    expect(['OpenBLAS', 'builtin']).toContain(info.gemm);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(typeof info.cudaBuilt).toBe('boolean');
  });
});
