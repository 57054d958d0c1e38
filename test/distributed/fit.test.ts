import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { PER_RANK_BATCH, type Trained, train } from './fixtures/train.js';
import { TCP_LOOPBACK, mpiUnavailable, mpirun } from './helpers.js';

const maxDiff = (a: Trained, b: Trained) =>
  Math.max(...a.weights.flatMap((w, i) => w.map((v, j) => Math.abs(v - b.weights[i][j]))));
const maxLossDiff = (a: Trained, b: Trained) => Math.max(...a.loss.map((v, i) => Math.abs(v - b.loss[i])));

describe('distributed, alone (no launcher: a job of one)', () => {
  it('init is rank 0 of 1 and the collectives leave data as it is', async () => {
    const w = await tl.distributed.init();
    expect(w).toMatchObject({ rank: 0, size: 1, localRank: 0, transport: 'local' });
    const a = new Float32Array([1, 2]);
    await tl.distributed.allreduce(a);
    await tl.distributed.broadcast(a);
    await tl.distributed.barrier();
    expect([...a]).toEqual([1, 2]);
    const g = await tl.distributed.allgather(new Int32Array([5, 6]));
    expect(g).toBeInstanceOf(Int32Array);
    expect([...g]).toEqual([5, 6]);
  });

  it('rejects bad arguments with TensileErrors naming the call', async () => {
    await tl.distributed.init();
    expect(() => tl.distributed.allreduce([1, 2] as never)).toThrow(
      /distributed.allreduce: data must be a Float32Array/,
    );
    expect(() => tl.distributed.allreduce(new Float32Array(1), { op: 'avg' as never })).toThrow(
      /op must be 'sum', 'max' or 'min', got avg/,
    );
    expect(() => tl.distributed.broadcast(new Float32Array(1), { root: 1 })).toThrow(
      /root must be a rank in \[0, 0\], got 1/,
    );
    const m = tl.sequential();
    m.add(tl.layers.dense({ units: 1, inputShape: [2] }));
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(
      m.fit(tl.zeros([4, 2]), tl.zeros([4, 1]), { verbose: 0, distributed: { bucketBytes: 0 } }),
    ).rejects.toThrow(/fit \(distributed\): bucketBytes must be an integer of at least 4, got 0/);
    const lazy = tl.sequential();
    lazy.add(tl.layers.dense({ units: 1 }));
    lazy.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(lazy.fit(tl.zeros([4, 2]), tl.zeros([4, 1]), { verbose: 0, distributed: true })).rejects.toThrow(
      /must be built before distributed training/,
    );
  });

  it.each(['sgd', 'adam'] as const)('fit({ distributed: true }) alone trains as a plain fit (%s)', async (opt) => {
    const plain = await train(opt, 16, false, 7);
    const dist = await train(opt, 16, true, 7);
    // The plain fit takes the fused Dense-stack kernels, the distributed one the op-by-op step: rounding only.
    expect(maxDiff(plain, dist)).toBeLessThan(1e-6);
    expect(maxLossDiff(plain, dist)).toBeLessThan(1e-6);
  });
});

const why = mpiUnavailable();
if (why) console.log(`test/distributed: the mpirun tests are skipped: ${why}`);

describe.skipIf(why !== '')(`distributed over mpirun -np 2${why ? ` (skipped: ${why})` : ''}`, () => {
  let single: { sgd: Trained; adam: Trained };
  let perRankAlone: Trained;
  beforeAll(async () => {
    single = {
      sgd: await train('sgd', 2 * PER_RANK_BATCH, false, 7),
      adam: await train('adam', 2 * PER_RANK_BATCH, false, 7),
    };
    perRankAlone = await train('sgd', PER_RANK_BATCH, false, 7);
  });

  it.each([
    ['shared memory', []],
    ['TCP on loopback', TCP_LOOPBACK],
  ])(
    'trains to the weights of one process with the global batch (%s)',
    async (label, mca) => {
      const out = join(mkdtempSync(join(tmpdir(), 'tensile-dist-')), 'result.json');
      const r = await mpirun(2, 'test/distributed/fixtures/train.ts', ['dist', out], mca as string[]);
      expect(r.code, r.out).toBe(0);
      const d = JSON.parse(readFileSync(out, 'utf8')) as {
        size: number;
        barrier: { waited: number; ticks: number };
        sgd: Trained;
        adam: Trained;
      };
      expect(d.size).toBe(2);
      const figures = {
        sgd: maxDiff(d.sgd, single.sgd),
        adam: maxDiff(d.adam, single.adam),
        sgdLoss: maxLossDiff(d.sgd, single.sgd),
        adamLoss: maxLossDiff(d.adam, single.adam),
      };
      console.log(
        `np=2 ${label}: max |w - w_single| SGD ${figures.sgd.toExponential(2)}, Adam ${figures.adam.toExponential(2)}; epoch loss ${figures.sgdLoss.toExponential(2)}, ${figures.adamLoss.toExponential(2)}; ${(r.ms / 1000).toFixed(1)} s`,
      );
      expect(figures.sgd).toBeLessThan(1e-5);
      expect(figures.adam).toBeLessThan(1e-5);
      expect(figures.sgdLoss).toBeLessThan(1e-5);
      expect(figures.adamLoss).toBeLessThan(1e-5);
      // The comparison can tell: one process with the per-rank batch ends far away.
      expect(maxDiff(perRankAlone, single.sgd)).toBeGreaterThan(1e-3);
      // While rank 0 waited ~300 ms at a barrier for rank 1, its event loop kept running timers.
      expect(d.barrier.waited).toBeGreaterThan(150);
      expect(d.barrier.ticks).toBeGreaterThan(d.barrier.waited / 10 / 3);
    },
    120_000,
  );
});

describe.skipIf(why !== '')('NCCL', () => {
  it('initNccl says "NCCL not found" where libnccl.so.2 does not load', async () => {
    await tl.distributed.init();
    let nccl = true;
    try {
      execFileSync('sh', ['-c', 'ldconfig -p | grep -q libnccl.so.2']);
    } catch {
      nccl = false;
    }
    if (nccl)
      return void console.log('test/distributed: libnccl.so.2 is installed here; the "not found" case cannot be shown');
    await expect(tl.distributed.initNccl()).rejects.toThrow(
      /distributed\.initNccl: NCCL not found: libnccl\.so\.2: cannot open shared object file/,
    );
  });
});
