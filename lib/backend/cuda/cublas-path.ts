import { spawnSync } from 'node:child_process';
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
function wheelCandidates(sites: readonly string[] = sitePackages()): string[] {
  const out: string[] = [];
  for (const site of sites) {
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

/**
 * The last resort: the site folders of the `python3` on PATH (a venv elsewhere, e.g. /opt/torch/.venv), asked
 * once with a 5 s limit. Only called when every other candidate failed.
 */
export function pythonCublasCandidates(): string[] {
  const r = spawnSync(
    'python3',
    ['-c', 'import site; print("\\n".join(site.getsitepackages() + [site.getusersitepackages()]))'],
    {
      encoding: 'utf8',
      timeout: 5000,
    },
  );
  if (r.status !== 0 || !r.stdout) return [];
  return wheelCandidates(r.stdout.split('\n').filter(Boolean));
}
