import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const SONAME = 'libcublas.so.13';

/** Python site folders that may hold the nvidia wheels (pip's nvidia-cublas puts lib/ under nvidia/...). */
function sitePackages(): string[] {
  const roots = ['/usr/local/lib', '/usr/lib', join(homedir(), '.local', 'lib')];
  const venv = process.env.VIRTUAL_ENV ?? process.env.CONDA_PREFIX;
  if (venv) roots.unshift(join(venv, 'lib'));
  const out: string[] = [];
  for (const root of roots) {
    let names: string[] = [];
    try {
      names = readdirSync(root).filter((n) => /^python3(\.\d+)?$/.test(n));
    } catch {
      continue;
    }
    for (const n of names) for (const site of ['site-packages', 'dist-packages']) out.push(join(root, n, site));
  }
  return out;
}

/** The nvidia wheel folders holding cuBLAS: nvidia/cublas/lib (CUDA ≤ 12 wheels) and nvidia/cu13/lib (CUDA 13). */
function wheelCandidates(): string[] {
  const out: string[] = [];
  for (const site of sitePackages()) {
    let subs: string[] = [];
    try {
      subs = readdirSync(join(site, 'nvidia'));
    } catch {
      continue;
    }
    for (const sub of subs) out.push(join(site, 'nvidia', sub, 'lib', SONAME));
  }
  return out;
}

/**
 * Where to look for cuBLAS, in order: the TENSILE_CUBLAS_PATH folder (or file), the plain soname (the
 * loader's own search: LD_LIBRARY_PATH, ldconfig), then the Python nvidia wheels' lib folders.
 */
export function cublasCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  const dir = env.TENSILE_CUBLAS_PATH;
  if (dir) out.push(dir.endsWith('.so') || /\.so\.\d+$/.test(dir) ? dir : join(dir, SONAME));
  out.push(SONAME, 'libcublas.so');
  out.push(...wheelCandidates());
  return out;
}
