// The addon's bindings are declared in three places that must agree, checked here from the sources (no addon
// needed): their registration in native/src/addon.cc, their types (the NativeAddon and CudaAddon interfaces) and
// the name lists ADDON_FUNCTIONS and CUDA_FUNCTIONS that the surface test and the fuzzer iterate.
// (test/native/surface.test.ts checks the loaded addon against the lists.)
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CUDA_FUNCTIONS } from '../../lib/backend/cuda/addon-types.js';
import { ADDON_FUNCTIONS } from '../../lib/backend/native/addon-types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The registrations of an addon.cc: exported name, and the C++ function and its JS name where it is a function. */
function registrations(source: string): { name: string; fn?: string; fnName?: string }[] {
  const code = source.replace(/\/\/.*$/gm, '');
  return [...code.matchAll(/exports\.Set\(\s*"(\w+)"\s*,\s*([^;]*?)\);/g)].map(([, name, value]) => {
    const fn = /^Napi::Function::New\(\s*env\s*,\s*(\w+)\s*,\s*"(\w+)"\s*\)$/.exec(value.trim());
    return fn ? { name, fn: fn[1], fnName: fn[2] } : { name };
  });
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
  const registered = registrations(read('native/src/addon.cc'));
  const cudaTypes = members('lib/backend/cuda/addon-types.ts', 'CudaAddon');
  const nativeTypes = members('lib/backend/native/addon-types.ts', 'NativeAddon');

  it('reads every registration of addon.cc', () => {
    const calls = read('native/src/addon.cc').match(/exports\.Set\(/g) ?? [];
    expect(registered.length).toBe(calls.length);
    expect(registered.length).toBeGreaterThan(50);
  });

  it('registers each function under the name it gives itself, once', () => {
    const mismatched = registered.filter((r) => r.fnName !== undefined && r.fnName !== r.name);
    expect(mismatched).toEqual([]);
    const names = registered.map((r) => r.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('registers exactly the functions the lists name', () => {
    expect(sorted(registered.map((r) => r.name))).toEqual(sorted([...ADDON_FUNCTIONS, ...CUDA_FUNCTIONS]));
  });

  it('types exactly the functions the lists name', () => {
    expect(sorted(nativeTypes)).toEqual(sorted(ADDON_FUNCTIONS));
    expect(sorted(cudaTypes)).toEqual(sorted(CUDA_FUNCTIONS));
  });

  it('sees a binding that is registered but not declared, and one declared under another name', () => {
    const made = registrations(
      'exports.Set("a", Napi::Function::New(env, A, "a"));\n  exports.Set("bAlias",\n    Napi::Function::New(env, B, "b"));',
    );
    expect(made).toEqual([
      { name: 'a', fn: 'A', fnName: 'a' },
      { name: 'bAlias', fn: 'B', fnName: 'b' },
    ]);
  });
});
