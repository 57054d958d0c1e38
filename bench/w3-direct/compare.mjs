// W3's own check: tensile's GEMM path (the addon's gemmF32, as `tensile bench` W3 calls it) against cblas_sgemm
// called directly from C on the same OpenBLAS, alternating the two ROUNDS times; prints the medians and the ratio.
//   gcc -O2 bench/w3-direct/openblas-direct.c -I/usr/include/x86_64-linux-gnu/openblas-pthread -lopenblas \
//       -o /tmp/openblas-direct && node bench/w3-direct/compare.mjs /tmp/openblas-direct
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const direct = process.argv[2];
if (!direct) throw new Error('usage: node bench/w3-direct/compare.mjs <the compiled openblas-direct>');
const addon = createRequire(import.meta.url)('node-gyp-build')(new URL('../..', import.meta.url).pathname);
const SIZES = [256, 512, 1024, 2048];
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median GFLOP/s of 7 timed batches of calls, the same counts as openblas-direct.c. */
function viaAddon(n) {
  const a = Float32Array.from({ length: n * n }, () => Math.random() - 0.5),
    b = a.map((v) => -v),
    c = new Float32Array(n * n);
  const calls = n <= 256 ? 200 : n <= 512 ? 40 : n <= 1024 ? 6 : 2;
  addon.gemmF32(a, b, c, n, n, n, false, false, 1, 0);
  const g = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) addon.gemmF32(a, b, c, n, n, n, false, false, 1, 0);
    g.push((2 * n ** 3 * calls) / ((performance.now() - t0) / 1e3) / 1e9);
  }
  return median(g);
}

const got = { direct: new Map(), tensile: new Map() };
for (let r = 0; r < ROUNDS; r++) {
  for (const line of execFileSync(direct, { encoding: 'utf8' }).trim().split('\n')) {
    const [, n, gflops] = /n=(\d+) ([\d.]+)/.exec(line);
    got.direct.set(+n, [...(got.direct.get(+n) ?? []), +gflops]);
  }
  for (const n of SIZES) got.tensile.set(n, [...(got.tensile.get(n) ?? []), viaAddon(n)]);
}
for (const n of SIZES) {
  const d = median(got.direct.get(n)),
    t = median(got.tensile.get(n));
  console.log(
    `n=${n}: OpenBLAS direct ${d.toFixed(1)} GFLOP/s, tensile ${t.toFixed(1)} GFLOP/s, ${((100 * t) / d).toFixed(1)}%`,
  );
}
