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
# Tracked files only: untracked scratch files are left alone (in a clean clone, the same set as format:check).
code() { git ls-files -z '*.ts' '*.mts' '*.cts' '*.js' '*.mjs' '*.cjs'; }
code | xargs -0 npx prettier --write --log-level warn
scripts/format-native.sh
# The result must lint clean and be stable (what `npm run lint` and `npm run format:check` check in CI).
code | xargs -0 npx eslint
code | xargs -0 npx prettier --check --log-level warn
scripts/format-native.sh --check
git diff --shortstat
