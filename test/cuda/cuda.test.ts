import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUDA_FUNCTIONS } from '../../lib/backend/cuda/addon-types.js';
import { cublasCandidates } from '../../lib/backend/cuda/cublas-path.js';
import { cudaUnavailableReason, getBackend, setBackend, useDevice } from '../../lib/backend/index.js';
import { referenceBackend } from '../../lib/backend/reference/index.js';
import { infoReport } from '../../lib/cli/info.js';
import * as tl from '../../lib/index.js';
import * as tf from '../../lib/tfjs/index.js';
import { addon, nativeLoaded } from '../helpers/backends.js';
import { expectAllClose } from '../helpers/close.js';
import { emulatedDevice } from '../helpers/emulated-device.js';
import { cudaEmulated, cudaSkipReason, onBackend, onBackendAsync } from '../helpers/ops.js';

// The cuda backend in three layers: the addon's CUDA surface (every build has it), the backend's
// residency logic on the emulated device (runs everywhere), and the real GPU (skipped, with the reason,
// where there is none). The op suites (test/ops, test/layers, test/models) also run on 'cuda' through
// availableBackends(): on the GPU when one is usable, else on the emulated device.

describe('cuda: the reason is visible', () => {
  it(`real GPU: ${cudaEmulated ? `not available here (${cudaSkipReason}); 'cuda' suites ran on the emulated device` : 'available; cuda suites ran on it'}`, () => {
    expect(typeof cudaSkipReason).toBe('string');
  });
});

describe.skipIf(!nativeLoaded)('cuda: the addon surface', () => {
  it.each(CUDA_FUNCTIONS)('exports %s in every build', (name) => {
    expect(typeof addon![name]).toBe('function');
  });

  it('reports the build, the driver and the devices without throwing', () => {
    const info = addon!.cudaInfo();
    expect(typeof info.built).toBe('boolean');
    expect(Array.isArray(info.devices)).toBe(true);
    if (!info.built) expect(info.status).toBe('not built');
    if (info.built && info.status !== 'ok') expect(info.status).toMatch(/^cuda[A-Z]\w+$/); // e.g. cudaErrorInsufficientDriver
    expect(infoReport().cuda).toMatch(info.built ? /^built/ : /^not built/);
  });

  it('says why setBackend("cuda") cannot run here, as a TensileError', () => {
    if (!cudaEmulated) return;
    const before = getBackend();
    expect(() => setBackend('cuda')).toThrow(tl.TensileError);
    expect(() => setBackend('cuda')).toThrow(/the cuda backend is not available: /);
    expect(getBackend()).toBe(before);
    expect(cudaUnavailableReason()).not.toBe('');
  });

  it('fails to allocate with the CUDA error (or "built without CUDA"), never a crash', () => {
    if (!cudaEmulated) return;
    expect(() => new addon!.CudaBuffer(16)).toThrow(/^CudaBuffer: (tensile was built without CUDA|cuda\w+: cuda\w+)/);
  });

  it('checks a buffer length before it allocates', () => {
    for (const bad of [-1, 1.5, NaN, 2 ** 40, '4', undefined])
      expect(() => new addon!.CudaBuffer(bad as number)).toThrow(/^CudaBuffer: (length must be|expected 1 arguments)/);
  });

  it('loads cuBLAS only from the candidates, and lists each one tried when none opens', () => {
    const r = addon!.cudaLoadCublas(['/nonexistent/libcublas.so.13']);
    if (!r.loaded)
      expect(r.error).toMatch(addon!.cudaInfo().built ? /\/nonexistent\/libcublas\.so\.13/ : /built without CUDA/);
  });

  it.each(CUDA_FUNCTIONS.filter((n) => !['CudaBuffer', 'cudaInfo', 'cudaSynchronize'].includes(n)))(
    '%s rejects a non-buffer operand or junk with an error naming itself',
    (name) => {
      const fn = addon![name] as unknown as (...a: unknown[]) => unknown;
      const junk = [{}, 0, 4, {}, 0, 4, {}, 0, 4, {}, 0, 4, 1, 1, 1, 1, 1, 1];
      for (const args of [[], junk, [0, ...junk], [true, ...junk]])
        expect(() => fn(...args)).toThrow(new RegExp(`^${name}: `));
    },
  );
});

describe('cuda: candidate paths for cuBLAS', () => {
  it('searches TENSILE_CUBLAS_PATH first, then the soname, then the Python nvidia wheels', () => {
    const c = cublasCandidates({ TENSILE_CUBLAS_PATH: '/opt/cublas/lib' });
    expect(c[0]).toBe('/opt/cublas/lib/libcublas.so.13');
    expect(c[1]).toBe('libcublas.so.13');
    expect(c.slice(3).every((p) => /nvidia\/[^/]+\/lib\/libcublas\.so\.13$/.test(p))).toBe(true);
    expect(cublasCandidates({ TENSILE_CUBLAS_PATH: '/x/libcublas.so.13' })[0]).toBe('/x/libcublas.so.13');
  });
});

describe('cuda: tensors stay on the device (emulated device)', () => {
  /** Runs fn (sync or async) on a fresh emulated device, restoring the previous backend after. */
  function onDevice<T>(fn: (traffic: ReturnType<typeof emulatedDevice>['traffic']) => T): T {
    const previous = getBackend();
    const dev = emulatedDevice();
    useDevice(dev, referenceBackend);
    const restore = () => {
      if (previous === 'cuda') useDevice(emulatedDevice(), referenceBackend);
      else setBackend(previous);
    };
    let result: T;
    try {
      result = fn(dev.traffic);
    } catch (e) {
      restore();
      throw e;
    }
    if (result instanceof Promise) return result.finally(restore) as T;
    restore();
    return result;
  }

  it('uploads each input once, downloads only when values are read', () => {
    const x = tl.tensor([
      [1, 2],
      [3, 4],
    ]);
    const w = tl.tensor([
      [1, 0],
      [0, 1],
    ]);
    const half = tl.tensor(0.5);
    const run = () => {
      let y = tl.matmul(x, w);
      for (let i = 0; i < 5; i++) y = y.add(x).relu().mul(half);
      return y;
    };
    onDevice((t) => {
      const y = run();
      expect(t.uploads).toBe(3); // x, w, half: once each
      expect(t.downloads).toBe(0);
      const v = y.dataSync();
      expect(t.downloads).toBe(1);
      y.arraySync();
      expect(t.downloads).toBe(1); // already home
      expect(Array.from(v)).toEqual(Array.from(onBackend('reference', () => run().dataSync())));
    });
  });

  it('trains a model with its weights on the device: no weight crosses the bus after the first step', async () => {
    const make = () => {
      tl.setSeed(7);
      const m = tl.sequential();
      m.add(tl.layers.dense({ units: 16, inputShape: [4], activation: 'relu' }));
      m.add(tl.layers.dense({ units: 3, activation: 'softmax' }));
      m.compile({
        optimizer: tl.optimizers.adam({ learningRate: 0.01 }),
        loss: 'categoricalCrossentropy',
        metrics: ['accuracy'],
      });
      return m;
    };
    tl.setSeed(3);
    const x = tl.randn([64, 4]);
    const y = tl.utils.toCategorical(
      Array.from({ length: 64 }, (_, i) => i % 3),
      3,
    );
    const ref = await onBackendAsync('reference', async () => {
      const m = make();
      await m.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      return m;
    });
    await onDevice(async (t) => {
      const m = make();
      await m.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
      const after1 = { ...t };
      await m.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
      // Later steps upload no weight and no batch (batches are views of x and y, whose buffers are already
      // there): only constants of the backward pass and the per-row losses of the host-side crossentropy
      // (a batch of 16: 19 elements a step when measured), not the 131 weights.
      expect((t.uploaded - after1.uploaded) / 8).toBeLessThan(64);
      const a = m.getWeights().map((w) => w.dataSync());
      const b = ref.getWeights().map((w) => w.dataSync());
      a.forEach((w, i) => expectAllClose(w, b[i], { rtol: 1e-4, atol: 1e-5 }));
    });
  });

  it('tensor.data is always current; only tensor.raw (kernel layers) can be stale', () => {
    onDevice((t) => {
      const y = tl.tensor([1, -2, 3]).relu().mul(tl.tensor(2));
      // The host array was never written: fresh device output stays on the device until read.
      expect(t.downloads).toBe(0);
      expect(Array.from(y.raw)).not.toEqual([2, 0, 6]);
      expect(Array.from(y.data)).toEqual([2, 0, 6]);
      expect(t.downloads).toBe(1);
      expect(Array.from(y.raw)).toEqual([2, 0, 6]); // home now
    });
  });

  it('a tfjs Variable assigned in JavaScript wins over its device copy', () => {
    onDevice(() => {
      const v = tf.variable(tf.tensor([1, 2, 3]));
      expect(Array.from(v.add(tl.tensor(1)).data)).toEqual([2, 3, 4]); // v uploaded
      v.assign(tf.tensor([10, 20, 30]));
      expect(Array.from(v.add(tl.tensor(1)).data)).toEqual([11, 21, 31]);
    });
  });

  it('setWeights after device updates wins over the device copy', async () => {
    await onDevice(() => {
      const m = tl.sequential({ layers: [tl.layers.dense({ units: 2, inputShape: [2], useBias: false })] });
      m.compile({ optimizer: 'sgd', loss: 'mse' });
      return m.fit(tl.tensor([[1, 2]]), tl.tensor([[0, 1]]), { epochs: 2, verbose: 0 }).then(() => {
        m.setWeights([
          tl.tensor([
            [1, 0],
            [0, 1],
          ]),
        ]);
        expect(m.predict(tl.tensor([[3, 4]])).arraySync()).toEqual([[3, 4]]);
      });
    });
  });

  it('saves trained weights from the device and loads them back onto it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensile-cuda-'));
    await onDevice(async () => {
      tl.setSeed(9);
      const m = tl.sequential({
        layers: [tl.layers.dense({ units: 3, inputShape: [4], activation: 'tanh' }), tl.layers.dense({ units: 2 })],
      });
      m.compile({ optimizer: 'adam', loss: 'mse' });
      const x = tl.randn([16, 4]);
      await m.fit(x, tl.randn([16, 2]), { epochs: 3, batchSize: 4, verbose: 0 });
      await m.save(dir);
      const loaded = await tl.loadModel(dir);
      expect(Array.from((loaded.predict(x) as tl.Tensor).dataSync())).toEqual(
        Array.from((m.predict(x) as tl.Tensor).dataSync()),
      );
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('dispose() frees device memory early; a tensor whose only copy was freed cannot be read', () => {
    onDevice(() => {
      const a = tl.tensor([1, 2, 3]).mul(tl.tensor(2));
      a.dispose();
      a.dispose(); // idempotent
      expect(() => a.dataSync()).toThrow(tl.TensileError);
      const b = tl.tensor([1, 2, 3]).mul(tl.tensor(2));
      b.dataSync();
      b.dispose(); // the host copy was current: still readable
      expect(Array.from(b.dataSync())).toEqual([2, 4, 6]);
    });
  });

  it('switching to a CPU backend brings every device value home', () => {
    let y: tl.Tensor | undefined;
    onDevice(() => {
      y = tl
        .tensor([
          [1, -2],
          [3, -4],
        ])
        .relu()
        .add(tl.tensor(1));
    });
    // onDevice restored the CPU backend: y's host array is current and native/reference kernels read it directly.
    expect(onBackend('reference', () => y!.mul(tl.tensor(2)).arraySync())).toEqual([
      [4, 2],
      [8, 2],
    ]);
  });
});
