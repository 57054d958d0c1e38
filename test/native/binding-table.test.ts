// The addon's bindings are declared in three places that must agree, checked here from the sources (no addon
// needed): their registration (the TENSILE_BINDINGS list of native/src/binding/bindings.h, which addon.cc iterates), their types (the NativeAddon and CudaAddon interfaces) and
// the name lists ADDON_FUNCTIONS and CUDA_FUNCTIONS that the surface test and the fuzzer iterate.
// (test/native/surface.test.ts checks the loaded addon against the lists.)
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CUDA_FUNCTIONS } from '../../lib/backend/cuda/addon-types.js';
import { ADDON_FUNCTIONS } from '../../lib/backend/native/signatures.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/**
 * The registrations: each X("name", Function) of the TENSILE_BINDINGS list in binding/bindings.h (addon.cc registers
 * them by iterating it), and addon.cc's own exports.Set("name", …) calls (the CudaBuffer class).
 */
function registrations(list: string, addon = ''): { name: string; fn?: string }[] {
  const code = (c: string) => c.replace(/\/\/.*$/gm, '');
  return [
    ...[...code(list).matchAll(/\bX\(\s*"(\w+)"\s*,\s*(\w+)\s*\)/g)].map(([, name, fn]) => ({ name, fn })),
    ...[...code(addon).matchAll(/exports\.Set\(\s*"(\w+)"/g)].map(([, name]) => ({ name })),
  ];
}

/** The member names of an exported interface in a TypeScript file. */
function members(path: string, name: string): string[] {
  const file = ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest);
  const decl = file.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
  );
  if (!decl) throw new Error(`${path} declares no interface ${name}`);
  return decl.members.map((m) => (m.name && ts.isIdentifier(m.name) ? m.name.text : m.getText(file)));
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('the binding table', () => {
  const registered = registrations(read('native/src/binding/bindings.h'), read('native/src/addon.cc'));
  const cudaTypes = members('lib/backend/cuda/addon-types.ts', 'CudaAddon');
  const nativeTypes = members('lib/backend/native/addon-types.ts', 'NativeAddon');

  it('reads every registration: the list addon.cc iterates, and its own', () => {
    const entries = read('native/src/binding/bindings.h').match(/\bX\(/g) ?? [];
    expect(registered.length).toBe(entries.length - 1 + 1); // minus the macro's parameter list, plus CudaBuffer
    expect(registered.length).toBeGreaterThan(50);
    expect(read('native/src/addon.cc')).toMatch(/TENSILE_BINDINGS\(/);
  });

  it('registers each function once', () => {
    const names = registered.map((r) => r.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    const fns = registered.flatMap((r) => (r.fn ? [r.fn] : []));
    expect(fns.filter((n, i) => fns.indexOf(n) !== i)).toEqual([]);
  });

  it('registers exactly the functions the lists name', () => {
    expect(sorted(registered.map((r) => r.name))).toEqual(sorted([...ADDON_FUNCTIONS, ...CUDA_FUNCTIONS]));
  });

  it('types exactly the functions the lists name', () => {
    expect(sorted(nativeTypes)).toEqual(sorted(ADDON_FUNCTIONS));
    expect(sorted(cudaTypes)).toEqual(sorted(CUDA_FUNCTIONS));
  });

  it('reads a list entry split over lines, and an export addon.cc makes itself', () => {
    const made = registrations(
      '#define L(X) \\\n  X("a", A) \\\n  X(\n    "bAlias", B)',
      'exports.Set("C", CClass(env));',
    );
    expect(made).toEqual([{ name: 'a', fn: 'A' }, { name: 'bAlias', fn: 'B' }, { name: 'C' }]);
  });
});
