// The dependency rule (CONTRIBUTING.md, "The dependency rule"), checked on every import under lib/:
// dependencies point down only, and the backend is reached through ops, autograd and tensor, never by a layer
// or a model. The few edges that break the rule today are listed in ALLOWED with their reason; the test fails on
// any other, and on an allowed edge that no longer exists (so the list stays true: delete the entry).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The modules of lib/ from the bottom up; a module may import its own rank and those below. */
const RANKS: readonly (readonly string[])[] = [
  ['backend'],
  ['tensor'],
  ['autograd'],
  ['ops'],
  ['regularizers', 'constraints', 'utils'],
  ['layers', 'losses', 'metrics', 'optimizers', 'data'],
  ['distributed'],
  ['models'],
  ['io'],
  ['onnx', 'plot'],
  ['index.ts', 'tfjs', 'cli'],
];
/** Usable from everywhere: errors, leaf helpers, and the closed sets of codes shared with the C++. */
const SHARED = ['errors.ts', 'internal', 'backend/kinds.ts'];
/** Who may call the backend itself (above tensor): ops and autograd, optimizers' fused updates, the top level. */
const BACKEND_USERS = ['tensor', 'autograd', 'ops', 'optimizers', 'index.ts', 'tfjs', 'cli'];

/** Edges that break the rule today, each with the files that hold it (a path ending in / holds a folder). */
const ALLOWED: readonly { edge: string; files: readonly string[]; reason: string }[] = [
  {
    edge: 'tensor -> autograd',
    files: ['lib/tensor/tensor.ts'],
    reason: 'a Tensor carries its GradNode (a type import): the tape hangs off the value it produced',
  },
  {
    edge: 'models -> backend',
    files: ['lib/models/dense-forward.ts', 'lib/models/step.ts', 'lib/models/step-feeds.ts', 'lib/models/plan/'],
    reason: 'the Dense-stack forward calls its kernel, the compiled step records and replays backend kernels directly',
  },
];

interface Violation {
  file: string;
  target: string;
  edge: string;
}

/** The module of a path under lib/: its first folder, or the file name for a file at the top. */
function moduleOf(libPath: string): string {
  const i = libPath.indexOf('/');
  return i < 0 ? libPath : libPath.slice(0, i);
}

function rankOf(module: string): number {
  const r = RANKS.findIndex((group) => group.includes(module));
  if (r < 0) throw new Error(`lib/${module} is in no rank of the dependency rule: add it to RANKS`);
  return r;
}

const isShared = (libPath: string): boolean =>
  SHARED.some((s) => libPath === s || libPath === s.replace(/\.ts$/, '.js') || libPath.startsWith(`${s}/`));

/** Why an import from one lib/ path to another breaks the rule, or null. */
function breaks(from: string, to: string): string | null {
  const a = moduleOf(from);
  const b = moduleOf(to);
  if (a === b || isShared(to)) return null;
  if (rankOf(b) > rankOf(a)) return `${a} -> ${b}`;
  if (b === 'backend' && !BACKEND_USERS.includes(a)) return `${a} -> ${b}`;
  return null;
}

/** Every relative import (static, type-only, re-export, dynamic) of the given files, resolved to paths from ROOT. */
function importsOf(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(ROOT, resolve(ROOT, dirname(file), name)).replace(/\.js$/, '.ts'));
}

/** The violations among files (paths from ROOT under lib/, with their text). */
function violations(files: ReadonlyMap<string, string>): Violation[] {
  const found: Violation[] = [];
  for (const [file, text] of files) {
    for (const target of importsOf(file, text)) {
      if (!target.startsWith('lib/')) {
        found.push({ file, target, edge: `lib -> ${target.split('/')[0]}` });
        continue;
      }
      const edge = breaks(file.slice(4), target.slice(4));
      if (edge) found.push({ file, target, edge });
    }
  }
  return found;
}

const holds = (allowedFile: string, file: string) =>
  allowedFile.endsWith('/') ? file.startsWith(allowedFile) : file === allowedFile;
const isAllowed = (v: Violation) => ALLOWED.some((a) => a.edge === v.edge && a.files.some((f) => holds(f, v.file)));

function libFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = `${dir}/${name}`;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) files.set(path, readFileSync(join(ROOT, path), 'utf8'));
    }
  };
  walk('lib');
  return files;
}

describe('the dependency rule', () => {
  const files = libFiles();
  const found = violations(files);

  it('reads the whole library', () => {
    expect(files.size).toBeGreaterThan(100);
    for (const file of files.keys()) if (!isShared(file.slice(4))) rankOf(moduleOf(file.slice(4)));
  });

  it('holds on every import under lib/, but for the allowed edges', () => {
    const broken = found.filter((v) => !isAllowed(v)).map((v) => `${v.file} imports ${v.target} (${v.edge})`);
    expect(broken, 'imports against the dependency rule (CONTRIBUTING.md)').toEqual([]);
  });

  it('allows only edges that still exist', () => {
    const stale = ALLOWED.flatMap((a) =>
      a.files.filter((f) => !found.some((v) => v.edge === a.edge && holds(f, v.file))).map((f) => `${a.edge}: ${f}`),
    );
    expect(stale, 'allowed edges no longer in the tree: remove them from ALLOWED').toEqual([]);
  });

  it('finds an upward import, a layer calling the backend, and an import from outside lib/', () => {
    const made = new Map([
      ['lib/ops/made-up.ts', "import { Sequential } from '../models/sequential.js';"],
      ['lib/layers/made-up.ts', "import type { Backend } from '../backend/backend.js';\nexport * from './dense.js';"],
      ['lib/tensor/made-up.ts', "const m = await import('../ops/index.js');"],
      ['lib/io/made-up.ts', "import { run } from '../../bench/runner.js';"],
      [
        'lib/models/made-up.ts',
        "import { ok } from '../layers/dense.js'; import { kinds } from '../backend/kinds.js';",
      ],
    ]);
    expect(violations(made).map((v) => `${v.file}: ${v.edge}`)).toEqual([
      'lib/ops/made-up.ts: ops -> models',
      'lib/layers/made-up.ts: layers -> backend',
      'lib/tensor/made-up.ts: tensor -> ops',
      'lib/io/made-up.ts: lib -> bench',
    ]);
  });
});
