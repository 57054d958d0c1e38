#!/usr/bin/env bash
# Reformats the whole tree once (Prettier for TS/JS, clang-format for native/src) and prints what changed.
# Run on a clean work tree, then commit the result on its own:
#   scripts/reformat.sh && git commit -qam 'style: format the tree with Prettier and clang-format'
# After it, `npm run format:check` (run by .ci/run) passes; `npm run format` keeps it so.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "$(git status --porcelain --untracked-files=no)" ]]; then
  echo "reformat: the work tree has uncommitted changes; commit or stash them first" >&2
  exit 1
fi
npm run --silent format
npm run --silent lint
npm run --silent format:check
git diff --shortstat
