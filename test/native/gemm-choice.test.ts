// Which GEMM kernel runs (kernels/cpu/gemm.cc): decided once per process by a fixed rule from the CPU and
// OpenBLAS's core, overridden by TENSILE_GEMM=openblas|builtin, reported by info(). Each setting runs in a
// child process, since the choice is made when the addon first multiplies.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AddonInfo } from '../../lib/backend/native/addon-types.js';
import { addon } from '../helpers/backends.js';

const file = addon
  ? (process.env.TENSILE_ADDON_PATH && resolve(process.env.TENSILE_ADDON_PATH)) ||
    (createRequire(import.meta.url)('node-gyp-build') as { resolve(dir: string): string }).resolve(
      fileURLToPath(new URL('../..', import.meta.url)),
    )
  : '';

/** info() and a checked 2×3·3×2 product and 1×3·3×2 product, in a child with `env` changed (undefined: removed). */
function child(env: Record<string, string | undefined>): AddonInfo {
  const script = `
    const a = require(${JSON.stringify(file)}), c = new Float32Array(4), v = new Float32Array(2);
    a.gemmF32(Float32Array.of(1, 2, 3, 4, 5, 6), Float32Array.of(1, 0, 0, 1, 1, 1), c, 2, 2, 3, false, false, 1, 0);
    a.gemmF32(Float32Array.of(1, 2, 3), Float32Array.of(1, 0, 0, 1, 1, 1), v, 1, 2, 3, false, false, 1, 0);
    if (c.join() !== '4,5,10,11' || v.join() !== '4,5') throw new Error('wrong product ' + c.join() + ' ' + v.join());
    console.log(JSON.stringify(a.info()));`;
  const full: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env))
    if (v === undefined) delete full[k];
    else full[k] = v;
  const r = spawnSync(process.execPath, ['-e', script], { env: full, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as AddonInfo;
}

describe.skipIf(!addon)('the GEMM kernel choice', () => {
  const linked = addon?.info().gemm;

  it('TENSILE_GEMM=builtin runs the built-in kernel for every shape, and says so', () => {
    const info = child({ TENSILE_GEMM: 'builtin' });
    expect([info.gemmProducts, info.gemmVectors]).toEqual(['builtin', 'builtin']);
    expect(info.gemmRule).toMatch(linked === 'OpenBLAS' ? /TENSILE_GEMM=builtin/ : /built without OpenBLAS/);
  });

  it.runIf(linked === 'OpenBLAS')('TENSILE_GEMM=openblas runs OpenBLAS for every shape, and says so', () => {
    const info = child({ TENSILE_GEMM: 'openblas' });
    expect([info.gemmProducts, info.gemmVectors]).toEqual(['OpenBLAS', 'OpenBLAS']);
    expect(info.gemmRule).toBe('TENSILE_GEMM=openblas');
  });

  it.runIf(linked === 'builtin')(
    'TENSILE_GEMM=openblas in a build without OpenBLAS: the built-in kernel, and why',
    () => {
      const info = child({ TENSILE_GEMM: 'openblas' });
      expect(info.gemmProducts).toBe('builtin');
      expect(info.gemmRule).toMatch(/TENSILE_GEMM=openblas has no effect/);
    },
  );

  it.runIf(linked === 'OpenBLAS')('an unknown TENSILE_GEMM is reported and the rule decides', () => {
    const info = child({ TENSILE_GEMM: 'mkl' });
    expect(info.gemmRule).toMatch(/TENSILE_GEMM=mkl not understood/);
    expect(info.gemmProducts).toBe(child({ TENSILE_GEMM: undefined }).gemmProducts);
  });

  // The rule: the built-in kernel for products wherever it has AVX-512, whatever OpenBLAS's core (it beat
  // OpenBLAS's AVX-512 kernels too); built-in matrix-vector products.
  it.runIf(linked === 'OpenBLAS' && addon?.info().gemmBuiltinIsa === 'avx512')(
    'on an AVX-512 CPU: the built-in kernel, whether OpenBLAS runs Haswell or SkylakeX kernels',
    () => {
      for (const core of ['Haswell', 'SkylakeX']) {
        const info = child({ TENSILE_GEMM: undefined, OPENBLAS_CORETYPE: core });
        expect(info.gemmCore).toBe(core);
        expect([info.gemmProducts, info.gemmVectors]).toEqual(['builtin', 'builtin']);
        expect(info.gemmRule).toMatch(new RegExp(`AVX-512 kernel \\(OpenBLAS core: ${core}\\)`));
      }
    },
  );

  it.runIf(linked === 'OpenBLAS' && addon?.info().gemmBuiltinIsa !== 'avx512')(
    'without AVX-512: OpenBLAS for products',
    () => {
      expect(child({ TENSILE_GEMM: undefined }).gemmProducts).toBe('OpenBLAS');
    },
  );
});
