// W3: C = A·B through tensile's gemm kernel from TypeScript, square n.
// Run: npx tsx bench/gemm.ts [--sizes 256,1024,2048] [--repeat 7]
import { parseArgs } from 'node:util';
import { backend } from '../lib/backend/index.js';
import { infoReport } from '../lib/cli/info.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '256,1024,2048' }, repeat: { type: 'string', default: '7' } } });
const repeat = Number(values.repeat);
const k = backend();
console.log(`backend ${k.name}; gemm ${infoReport().gemm}; threads ${infoReport().threads}`);
for (const n of values.sizes!.split(',').map(Number)) {
  const a = new Float32Array(n * n).map(() => Math.random() - 0.5);
  const b = new Float32Array(n * n).map(() => Math.random() - 0.5);
  const c = new Float32Array(n * n);
  const p = { m: n, n, k: n, transA: false, transB: false, alpha: 1, beta: 0 };
  const inner = Math.max(1, Math.round(2e9 / (2 * n ** 3))); // ~≥1 GFLOP per timed sample
  for (let i = 0; i < inner; i++) k.gemm(a, b, c, p); // warm-up
  const times: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) k.gemm(a, b, c, p);
    times.push((performance.now() - t0) / 1e3 / inner);
  }
  times.sort((x, y) => x - y);
  const t = times[Math.floor(times.length / 2)];
  console.log(`n=${n}: ${((2 * n ** 3) / t / 1e9).toFixed(1)} GFLOP/s (median of ${repeat}, ${(t * 1e3).toFixed(3)} ms)`);
}
