// What the table's header says about the machine and the environment the contenders ran in.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  /** The vector extensions that matter for GEMM kernels, as /proc/cpuinfo lists them. */
  simd: string[];
  platform: string;
  memoryGiB: number;
  /** 1-minute load average when the bench started and when it ended: other work on the machine skews figures. */
  loadAverage: { start: number; end: number };
}

export const OPENBLAS_VARS = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

export const loadNow = (): number => Math.round(loadavg()[0] * 100) / 100;

export function machineInfo(loadAtStart: number): MachineInfo {
  let cpu = cpus()[0]?.model ?? 'unknown';
  let flags: string[] = [];
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    cpu = /^model name\s*:\s*(.*)$/m.exec(text)?.[1]?.trim() || cpu;
    flags = (/^flags\s*:\s*(.*)$/m.exec(text)?.[1] ?? '').split(/\s+/);
  } catch {
    // not Linux: the model from os.cpus() and no flags
  }
  return {
    cpu,
    cores: availableParallelism(),
    simd: ['avx2', 'fma', 'avx512f', 'avx512bw', 'avx512_bf16'].filter((f) => flags.includes(f)),
    platform: `${process.platform}-${process.arch}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: { start: loadAtStart, end: loadNow() },
  };
}

/** The environment every contender gets: the bench's own, less the OpenBLAS variables when asked. */
export function contenderEnv(unsetOpenblas: boolean): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (unsetOpenblas) for (const v of OPENBLAS_VARS) delete env[v];
  return env;
}
