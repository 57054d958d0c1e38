// The results of one `tensile bench` run: the JSON written by --json (schema in bench/README.md) and the table.
import type { BenchOptions } from '../lib/cli/bench.js';
import type { MachineInfo } from './machine.js';
import type { ContenderInfo } from './protocol.js';

export const SCHEMA = 'tensile-bench/1';

export interface ContenderEntry extends Partial<ContenderInfo> {
  name: string;
  /** Why it did not run at all (not installed, no interpreter imports it). */
  skipped?: string;
}

export interface ResultRow {
  workload: string;
  /** The case within the workload: 'W3/1024', 'W6/1'. */
  case: string;
  /** What the figure is: 'fit', 'per step', 'n=1024', 'train', 'predict 1'. */
  figure: string;
  contender: string;
  /** Median of samples; null when skipped or failed. */
  value: number | null;
  unit: string;
  better: 'higher' | 'lower';
  /** One value per timed repetition, in run order. */
  samples: number[];
  /** Peers only: tensile's speed relative to this peer (> 1: tensile is faster). */
  ratio?: number;
  skipped?: string;
  error?: string;
  /** Set when the figure is not a median of `repeat` samples (a contender too slow to repeat). */
  note?: string;
}

export interface BenchReport {
  schema: typeof SCHEMA;
  date: string;
  command: string;
  options: BenchOptions;
  machine: MachineInfo;
  /** node, and each contender that started: name → version. */
  versions: Record<string, string>;
  /** As the bench found them (null: unset), and whether every contender ran with both removed. */
  env: { OPENBLAS_CORETYPE: string | null; OPENBLAS_L2_SIZE: string | null; unsetOpenblasEnv: boolean };
  contenders: ContenderEntry[];
  results: ResultRow[];
}

/** Figures: three significant digits at most, thousands separated. */
export function fmtValue(v: number): string {
  if (v >= 100) return Math.round(v).toLocaleString('en-US');
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

function fmtRatio(r: number): string {
  return (r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toPrecision(2)) + '×';
}

/** Columns separated by two spaces; rightAligned(c) for numeric columns. */
function table(rows: string[][], rightAligned: (column: number) => boolean): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  const pad = (cell: string, c: number) => {
    const fill = ' '.repeat(widths[c] - [...cell].length);
    return rightAligned(c) ? fill + cell : cell + fill;
  };
  return rows.map((r) => r.map(pad).join('  ').trimEnd()).join('\n');
}

export function formatReport(r: BenchReport): string {
  const m = r.machine;
  const env = (v: string | null) => (v === null ? 'unset' : `'${v}'`);
  const head = [
    `tensile bench: ${r.command}`,
    `${r.date}; median of ${r.options.repeat} timed repetition${r.options.repeat === 1 ? '' : 's'} after a warm-up, contenders interleaved` +
      (r.options.repeat < 5 ? ' (fewer than 5: indicative only)' : '') +
      (r.options.quick ? '; --quick sizes: the figures mean nothing' : ''),
    `machine: ${m.cpu}, ${m.cores} cores (${m.simd.join(' ') || 'no AVX2'}), ${m.memoryGiB} GiB, ${m.platform}, node ${r.versions.node}; ` +
      `load average ${m.loadAverage.start} at the start, ${m.loadAverage.end} at the end`,
    `env: OPENBLAS_CORETYPE ${env(r.env.OPENBLAS_CORETYPE)}, OPENBLAS_L2_SIZE ${env(r.env.OPENBLAS_L2_SIZE)}` +
      (r.env.unsetOpenblasEnv
        ? '; --unset-openblas-env: both removed for every contender'
        : '; every contender ran with them as set'),
    '',
    table(
      [
        ['contender', 'version', 'threads', 'BLAS, notes'],
        ...r.contenders.map((c) => [
          c.name,
          c.version ?? '-',
          c.threads === undefined ? '-' : String(c.threads),
          c.skipped ? `skipped: ${c.skipped.split('\n')[0]}` : [c.blas, c.notes].filter(Boolean).join('; '),
        ]),
      ],
      (c) => c === 2,
    ),
    '',
  ];
  const names = r.contenders.map((c) => c.name);
  const cases = [...new Map(r.results.map((x) => [`${x.case}|${x.figure}`, x])).values()];
  const rows = [['workload', 'unit', ...names]];
  const notes = new Map<string, string[]>();
  for (const c of cases) {
    const row = [`${c.workload} ${c.figure}`, c.unit];
    for (const name of names) {
      const x = r.results.find((y) => y.case === c.case && y.figure === c.figure && y.contender === name);
      if (!x || x.value === null) {
        const why = x?.skipped ?? (x?.error ? `error: ${x.error.split('\n')[0]}` : 'not run');
        // A contender skipped as a whole is explained once, in the contenders table.
        if (!r.contenders.find((e) => e.name === name)?.skipped) {
          const key = `${name}: ${why}`;
          notes.set(key, [...(notes.get(key) ?? []), c.workload]);
        }
        row.push('–');
      } else {
        if (x.note)
          notes.set(`${name}: ${x.note}`, [...(notes.get(`${name}: ${x.note}`) ?? []), `${c.workload} ${c.figure}`]);
        row.push((x.note ? '~' : '') + fmtValue(x.value) + (x.ratio === undefined ? '' : ` (${fmtRatio(x.ratio)})`));
      }
    }
    rows.push(row);
  }
  const legend = [
    '',
    "(N×) after a peer's figure: tensile's speed relative to that peer; above 1 tensile is faster. ~: see the notes.",
  ];
  const listed = [...notes].map(([k, ws]) => `  ${[...new Set(ws)].join(', ')} ${k}`);
  return [
    ...head,
    table(rows, (c) => c >= 2),
    ...legend,
    ...(listed.length ? ['notes (–: not run, ~: one repetition):', ...listed] : []),
  ].join('\n');
}
