import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Why the mpirun tests cannot run here ('' when they can). */
export function mpiUnavailable(): string {
  try {
    execFileSync('mpirun', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'mpirun not found (Debian: apt-get install openmpi-bin libopenmpi-dev, then rebuild)';
  }
  if (!existsSync('build/Release/tensile_mpi.node'))
    return 'build/Release/tensile_mpi.node not built (rebuild with MPI installed)';
  return '';
}

export const TCP_LOOPBACK = ['--mca', 'btl', 'self,tcp', '--mca', 'btl_tcp_if_include', 'lo'];

/** Runs `mpirun -np <np> node --import tsx <script> ...args`; resolves to its exit code and output. */
export function mpirun(
  np: number,
  script: string,
  args: string[],
  mca: string[] = [],
  timeoutMs = 60_000,
): Promise<{ code: number | null; out: string; ms: number }> {
  const t0 = performance.now();
  // One BLAS thread a rank: the ranks already share the cores.
  const argv = [
    '--allow-run-as-root',
    '--oversubscribe',
    '-np',
    String(np),
    ...mca,
    '-x',
    'TENSILE_NUM_THREADS=1',
    'node',
    '--import',
    'tsx',
    script,
    ...args,
  ];
  return new Promise((resolve) => {
    const p = spawn('mpirun', argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => resolve({ code, out, ms: performance.now() - t0 }));
  });
}
