// `tensile bench`, the work: start tensile and each peer as a child process, set up each case in every
// contender, warm up, then time the repetitions interleaved (A B C A B C ...) and take medians.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchOptions, PeerName } from '../lib/cli/bench.js';
import { type CaseSpec, casesFor, median } from './cases.js';
import { ContenderProcess, type Launch } from './contender-process.js';
import { contenderEnv, loadNow, machineInfo } from './machine.js';
import { type BenchReport, type ContenderEntry, type ResultRow, SCHEMA, formatReport } from './report.js';

export { formatReport };

type ContenderName = 'tensile' | PeerName;

/** A contender whose warm-up repetition takes longer than this is timed once (tfjs' CPU backend on W3 n=2048, W4). */
const SLOW_MS = 15_000;

const here = dirname(fileURLToPath(import.meta.url));
/** Run from the sources (bench/*.ts, through tsx) or from the built package (dist/bench/*.mjs). */
const fromSource = fileURLToPath(import.meta.url).endsWith('.ts');

/** A JavaScript contender: its script beside this file, run by this node. */
function jsLaunch(script: string, args: string[], env: NodeJS.ProcessEnv): Launch {
  const file = join(here, 'contenders', fromSource ? `${script}.ts` : `${script}.mjs`);
  const loader = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  return { command: process.execPath, args: [...loader, file, ...args], env };
}

/** The interpreters to try for a Python peer, in order. */
function pythons(): string[] {
  const wanted = process.env.TENSILE_BENCH_PYTHON;
  return wanted ? [wanted] : ['python3', '/usr/bin/python3'];
}

const PY_SCRIPT: Partial<Record<ContenderName, string>> = { torch: 'torch_peer.py', numpy: 'numpy_peer.py' };

/** Start a contender and say hello; a Python peer tries each interpreter until one imports its module. */
async function start(
  name: ContenderName,
  env: NodeJS.ProcessEnv,
): Promise<{ proc?: ContenderProcess; entry: ContenderEntry }> {
  const launches: Launch[] = [];
  const py = PY_SCRIPT[name];
  if (py) {
    const script = join(here, 'peers', py);
    const pyEnv = name === 'torch' ? { ...env, OMP_WAIT_POLICY: 'PASSIVE' } : env;
    for (const python of pythons()) launches.push({ command: python, args: ['-u', '-B', script], env: pyEnv }); // -B: no __pycache__ in the tree
  } else if (name === 'tensile') launches.push(jsLaunch('tensile', [], env));
  else if (name === 'tfjs' || name === 'tfjs-wasm')
    launches.push(jsLaunch('tfjs', [name === 'tfjs' ? 'cpu' : 'wasm'], env));
  else launches.push(jsLaunch('onnxruntime', [], env));

  const reasons: string[] = [];
  for (const launch of launches) {
    const proc = new ContenderProcess(name, launch);
    const reply = await proc.request({ op: 'hello' }, 180_000);
    if ('ok' in reply && reply.info) return { proc, entry: { name, ...reply.info } };
    await proc.close();
    reasons.push('skip' in reply ? reply.skip : 'error' in reply ? reply.error : 'no answer');
  }
  return { entry: { name, skipped: reasons.join('; ') } };
}

function progressWriter(write: (s: string) => void) {
  const tty = process.stderr.isTTY;
  let last = '';
  return {
    step(line: string, newCase: boolean) {
      if (tty) write(`\r${line.padEnd(last.length)}`);
      else if (newCase) write(line + '\n');
      last = line;
    },
    done() {
      if (tty && last) write(`\r${' '.repeat(last.length)}\r`);
    },
  };
}

export async function runBench(o: BenchOptions, write: (s: string) => void): Promise<BenchReport> {
  const loadAtStart = loadNow();
  const env = contenderEnv(o.unsetOpenblasEnv);
  const names: ContenderName[] = ['tensile', ...o.peers];
  const progress = progressWriter(write);
  progress.step(`bench: starting ${names.join(', ')}`, true);
  const started = await Promise.all(names.map((n) => start(n, env)));
  const live = started.filter((s) => s.proc).map((s) => ({ name: s.entry.name, proc: s.proc! }));
  const results: ResultRow[] = [];
  /** Only the contender asked runs; the others are frozen (see ContenderProcess.freeze). */
  const only = (name: string) => {
    for (const l of live) if (l.name !== name) l.proc.freeze(true);
    live.find((l) => l.name === name)?.proc.freeze(false);
  };
  try {
    const cases = casesFor(o.workloads, o.quick);
    for (const [ci, c] of cases.entries()) {
      const where = `bench: [${ci + 1}/${cases.length}] ${c.id}`;
      progress.step(`${where} setting up`, true);
      const samples = new Map<string, number[][]>();
      const skipped = new Map<string, { skipped?: string; error?: string }>();
      const running: typeof live = [];
      for (const l of live) {
        progress.step(`${where} setting up ${l.name}`, false);
        only(l.name);
        const r = await l.proc.request({ op: 'setup', case: c });
        if ('ok' in r) running.push(l);
        else
          skipped.set(
            l.name,
            'skip' in r ? { skipped: r.skip } : { error: 'error' in r ? r.error : 'unexpected answer' },
          );
      }
      // Rep 0 is the warm-up, discarded; then the timed repetitions, interleaved. A contender whose warm-up
      // repetition took longer than SLOW_MS is not repeated: that repetition is its one sample, flagged.
      const single = new Map<string, string>();
      for (let rep = 0; rep <= o.repeat; rep++) {
        for (const l of running) {
          if (skipped.has(l.name) || single.has(l.name)) continue;
          progress.step(`${where} ${rep === 0 ? 'warm-up' : `rep ${rep}/${o.repeat}`} ${l.name}`, false);
          only(l.name);
          const t0 = performance.now();
          const r = await l.proc.request({ op: 'run' });
          const seconds = (performance.now() - t0) / 1e3;
          if (!('values' in r)) {
            skipped.set(l.name, { error: 'error' in r ? r.error : 'unexpected answer' });
            continue;
          }
          if (rep > 0) samples.set(l.name, [...(samples.get(l.name) ?? []), r.values]);
          else if (!o.quick && seconds * 1e3 > SLOW_MS && o.repeat > 1) {
            samples.set(l.name, [r.values]);
            single.set(
              l.name,
              `one repetition only: a repetition takes ${seconds.toFixed(0)} s (over ${SLOW_MS / 1e3} s)`,
            );
          }
        }
      }
      results.push(
        ...rowsFor(
          c,
          names,
          started.map((s) => s.entry),
          samples,
          skipped,
          single,
        ),
      );
    }
  } finally {
    progress.done();
    await Promise.all(live.map((l) => l.proc.close()));
  }
  const contenders = started.map((s) => s.entry);
  return {
    schema: SCHEMA,
    date: new Date().toISOString(),
    command: commandLine(o),
    options: o,
    machine: machineInfo(loadAtStart),
    versions: Object.fromEntries([
      ['node', process.version],
      ...contenders.filter((c) => c.version).map((c) => [c.name, c.version!]),
    ]),
    env: {
      OPENBLAS_CORETYPE: process.env.OPENBLAS_CORETYPE ?? null,
      OPENBLAS_L2_SIZE: process.env.OPENBLAS_L2_SIZE ?? null,
      unsetOpenblasEnv: o.unsetOpenblasEnv,
    },
    contenders,
    results,
  };
}

/** One row per figure and contender: the median, the samples, tensile's ratio to each peer. */
function rowsFor(
  c: CaseSpec,
  names: string[],
  entries: ContenderEntry[],
  samples: Map<string, number[][]>,
  skipped: Map<string, { skipped?: string; error?: string }>,
  single: Map<string, string>,
): ResultRow[] {
  const rows: ResultRow[] = [];
  c.figures.forEach((f, i) => {
    const valueOf = (name: string) => {
      const s = samples.get(name)?.map((v) => v[i]);
      return s?.length ? { value: median(s), samples: s } : undefined;
    };
    const ours = skipped.has('tensile') ? undefined : valueOf('tensile');
    for (const name of names) {
      const base = {
        workload: c.workload,
        case: c.id,
        figure: f.label,
        contender: name,
        unit: f.unit,
        better: f.better,
      };
      const entry = entries.find((e) => e.name === name);
      const got = skipped.has(name) ? undefined : valueOf(name);
      if (!got) {
        const why = entry?.skipped ? { skipped: entry.skipped } : (skipped.get(name) ?? { error: 'no samples' });
        rows.push({ ...base, value: null, samples: [], ...why });
        continue;
      }
      const ratio =
        name === 'tensile' || !ours
          ? undefined
          : f.better === 'higher'
            ? ours.value / got.value
            : got.value / ours.value;
      const note = single.get(name);
      rows.push({ ...base, ...got, ...(ratio === undefined ? {} : { ratio }), ...(note ? { note } : {}) });
    }
  });
  return rows;
}

function commandLine(o: BenchOptions): string {
  return [
    'tensile bench',
    `--workloads ${o.workloads.join(',')}`,
    `--peers ${o.peers.join(',') || 'none'}`,
    `--repeat ${o.repeat}`,
    ...(o.unsetOpenblasEnv ? ['--unset-openblas-env'] : []),
    ...(o.quick ? ['--quick'] : []),
  ].join(' ');
}
