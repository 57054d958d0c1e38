#!/usr/bin/env bash
# Prepares .gpu/ (ignored by git) with what scripts/gpu-check.sh needs on a GPU machine that has no Node and
# no npm registry: a compressed Node binary, the two header packages the addon compiles against, and dist/.
# Then, with the device tool: run(command: "bash scripts/gpu-check.sh", carry: [".gpu"], timeout_s: 540).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .gpu && mkdir -p .gpu/node_modules
npm run build:ts >/dev/null
cp -r dist .gpu/dist
cp -r node_modules/node-addon-api node_modules/node-api-headers .gpu/node_modules/
node_bin=$(readlink -f "$(command -v node)")
xz -T0 -6 -c "$node_bin" > .gpu/node.xz
du -sh .gpu
