import { cpus } from 'node:os';
import { getBackend, nativeAddon, nativeUnavailableReason } from '../backend/index.js';
import { cublasCandidates } from '../backend/cuda/cublas-path.js';
import type { AddonInfo, NativeAddon } from '../backend/native/addon-types.js';
import { packageVersion } from '../internal/package-root.js';

export interface InfoReport {
  version: string;
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  backend: string;
  nativeError?: string;
  gemm: string;
  threads: number;
  cuda: string;
}

/** What `tensile info` prints: version, backend, which GEMM, threads, CUDA. */
export function infoReport(): InfoReport {
  const addon = nativeAddon();
  const info = addon?.info();
  const gemm = !info ? 'reference (TypeScript loops)' : gemmLine(info);
  return {
    version: packageVersion(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    backend: getBackend(),
    ...(addon ? {} : { nativeError: nativeUnavailableReason() }),
    gemm,
    threads: info?.threads ?? 1,
    cuda: cudaLine(addon),
  };
}

/** Which kernel runs products and matrix-vector products, why, and what is linked. */
function gemmLine(info: AddonInfo): string {
  const builtin = `built-in kernel (${info.gemmBuiltinIsa})`;
  const env = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']
    .filter((v) => process.env[v])
    .map((v) => `${v}=${process.env[v]}`);
  const openblas = info.gemm === 'OpenBLAS' ? `${info.gemmVersion} (core: ${[info.gemmCore, ...env].join(', ')})` : '';
  const kernel = (k: string) => (k === 'OpenBLAS' ? 'OpenBLAS' : builtin);
  const uses =
    info.gemmProducts === info.gemmVectors
      ? kernel(info.gemmProducts)
      : `${kernel(info.gemmProducts)} for products, ${kernel(info.gemmVectors)} for matrix-vector products`;
  return `${uses} (${info.gemmRule})${openblas ? `; linked: ${openblas}` : ''}`;
}

/** CUDA built?, driver found?, devices, cuBLAS found and its version: one line. */
function cudaLine(addon: NativeAddon | null): string {
  if (!addon) return 'not built (no native addon)';
  const c = addon.cudaInfo();
  if (!c.built) return 'not built (no CUDA toolkit at build time)';
  const v = (n: number) => `${Math.floor(n / 1000)}.${Math.floor((n % 1000) / 10)}`;
  const parts = [
    `built (cudart ${v(c.runtimeVersion)})`,
    c.driverVersion ? `driver ${v(c.driverVersion)}` : 'no driver',
  ];
  if (c.status !== 'ok') parts.push(c.status);
  else
    parts.push(
      c.devices.length
        ? c.devices
            .map(
              (d) =>
                `GPU ${d.index}: ${d.name} (sm_${d.computeCapability.replace('.', '')}, ${(d.memory / 2 ** 30).toFixed(0)} GiB)`,
            )
            .join('; ')
        : 'no devices',
    );
  if (c.status === 'ok' && c.devices.length) {
    const b = addon.cudaLoadCublas(cublasCandidates());
    parts.push(
      b.loaded
        ? `cuBLAS ${Math.floor(b.version / 10000)}.${Math.floor(b.version / 100) % 100}.${b.version % 100} (${b.path})`
        : 'cuBLAS not found (set TENSILE_CUBLAS_PATH)',
    );
  }
  return parts.join(', ');
}

export function formatInfo(r: InfoReport): string {
  const rows: [string, string][] = [
    ['tensile', r.version],
    ['node', `${r.node} (${r.platform})`],
    ['cpu', `${r.cpu}, ${r.cores} cores`],
    ['backend', r.backend + (r.nativeError ? ` (native not loaded: ${r.nativeError})` : '')],
    ['gemm', r.gemm],
    ['threads', String(r.threads)],
    ['cuda', r.cuda],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}
