#!/usr/bin/env bash
# clang-format over native/src (C++ and CUDA; style in .clang-format).
#   scripts/format-native.sh           rewrite the files in place
#   scripts/format-native.sh --check   list what is not formatted and exit 1 (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
  echo "format-native: clang-format not found (Debian/Ubuntu: apt-get install clang-format)" >&2
  exit 1
fi
mapfile -d '' files < <(find native/src -type f \( -name '*.cc' -o -name '*.h' -o -name '*.cu' -o -name '*.cuh' \) -print0 | sort -z)
if [[ "${1:-}" == "--check" ]]; then
  clang-format --dry-run --Werror "${files[@]}"
else
  clang-format -i "${files[@]}"
fi
