import { cpus } from 'node:os';
import { getBackend, nativeAddon, nativeUnavailableReason } from '../backend/index.js';
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
  const gemm = !info
    ? 'reference (TypeScript loops)'
    : info.gemm === 'OpenBLAS'
      ? `${info.gemmVersion} (core: ${info.gemmCore}${process.env.OPENBLAS_CORETYPE ? `, OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE}` : ''})`
      : `built-in kernel (${info.gemmCore})`;
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
    cuda: info?.cudaBuilt ? 'built' : 'not built',
  };
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
