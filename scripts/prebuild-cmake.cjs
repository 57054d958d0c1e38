#!/usr/bin/env node
// Stands in for node-gyp under prebuildify (see scripts/prebuild.mjs). It ignores the node-gyp
// arguments prebuildify passes (cmake-js would read --target as a CMake target), builds with
// cmake-js into build-prebuild/cmake, and copies the addon to build/Release under its cwd,
// where prebuildify looks for it.
'use strict';
const { spawnSync } = require('node:child_process');
const { copyFileSync, mkdirSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const out = path.join(root, 'build-prebuild', 'cmake');
const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
// scripts/prebuild.mjs passes CMake options (e.g. --CDTENSILE_OPENBLAS=OFF) through the environment.
const extra = (process.env.TENSILE_PREBUILD_CMAKE_ARGS ?? '').split(' ').filter(Boolean);
const r = spawnSync(process.execPath, [cmakeJs, 'rebuild', '--directory', root, '--out', out, ...extra], {
  cwd: root,
  stdio: 'inherit',
});
if (r.error) throw r.error;
if (r.status !== 0) process.exit(r.status ?? 1);

const release = path.join(process.cwd(), 'build', 'Release');
mkdirSync(release, { recursive: true });
copyFileSync(path.join(out, 'Release', 'tensile.node'), path.join(release, 'tensile.node'));
