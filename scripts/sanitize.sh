#!/usr/bin/env bash
# Builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer and runs the native and op suites
# against it (TENSILE_ADDON_PATH makes the loader take that build). Two builds:
#   openblas  the shipped configuration (OpenBLAS itself is not instrumented, only tensile's code);
#   builtin   without OpenBLAS, so the built-in GEMM kernels (every ISA object) are instrumented too.
# Usage: scripts/sanitize.sh [openblas|builtin|all] [vitest paths...]   (default: all test/native test/ops)
# Needs g++ with libasan and libubsan. Exits non-zero on a failing test or any sanitizer report.
# CI runs the bounded `scripts/sanitize.sh builtin test/native test/fuzz/bindings.fuzz.test.ts` (every binding fuzzed).
# SANITIZE_DIR names the build folders' prefix (default build/sanitize-: build/sanitize-openblas, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

which=${1:-all}
shift || true
paths=("$@")
[ ${#paths[@]} -eq 0 ] && paths=(test/native test/ops)

ASAN_LIB=$(g++ -print-file-name=libasan.so)
if [ ! -e "$ASAN_LIB" ]; then
  echo "sanitize: libasan.so not found next to g++ ($ASAN_LIB); install g++ with its sanitizer runtimes" >&2
  exit 2
fi
SAN_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer"
dir=${SANITIZE_DIR:-build/sanitize-}

build() { # name, extra cmake-js arguments...
  local name=$1
  shift
  # RelWithDebInfo: optimized like the release, but not stripped, so reports have file:line.
  # configure (always: the cache then holds these flags), then an incremental build.
  { npx cmake-js configure -O "$dir$name" -B RelWithDebInfo --CDTENSILE_SANITIZE=ON --CDTENSILE_CUDA=OFF "$@" &&
    npx cmake-js build -O "$dir$name" -B RelWithDebInfo; } >"$dir$name.log" 2>&1 ||
    { tail -30 "$dir$name.log" >&2; echo "sanitize: the $name build failed" >&2; exit 1; }
}

run() { # name
  local name=$1 out status=0
  out=$(mktemp)
  echo "== $name: ${paths[*]} under ASan + UBSan"
  # Node is not instrumented, so the ASan runtime must be preloaded; Node's own allocations are not leaks
  # of ours (detect_leaks=0). UBSan reports and continues, so one run lists every finding; reports go to
  # stderr (log_path is not honoured for UBSan under a preloaded ASan), which is searched afterwards.
  LD_PRELOAD="$ASAN_LIB" \
    ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" \
    UBSAN_OPTIONS="print_stacktrace=1" \
    TENSILE_ADDON_PATH="$dir$name/RelWithDebInfo/tensile.node" TENSILE_BACKEND=native \
    npx vitest run "${paths[@]}" 2>&1 | tee "$out" || status=$?
  if grep -qE 'runtime error:|ERROR: (Address|Leak|UndefinedBehavior)Sanitizer' "$out"; then
    echo "sanitize: $name: sanitizer findings:" >&2
    grep -E 'runtime error:|ERROR: (Address|Leak|UndefinedBehavior)Sanitizer' "$out" | sed 's/\x1b\[[0-9;]*m//g' | sort | uniq -c >&2
    status=1
  else
    echo "== $name: no sanitizer reports"
  fi
  rm -f "$out"
  return $status
}

mkdir -p "$(dirname "$dir$which")"
failed=0
if [ "$which" = all ] || [ "$which" = openblas ]; then
  build openblas
  run openblas || failed=1
fi
if [ "$which" = all ] || [ "$which" = builtin ]; then
  # The per-ISA GEMM object libraries get no TENSILE_SANITIZE flags; the build type's flags reach them
  # (cmake-js sets CMAKE_CXX_FLAGS itself, so that one cannot carry them).
  build builtin --CDTENSILE_OPENBLAS=OFF "--CDCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g -DNDEBUG $SAN_FLAGS"
  run builtin || failed=1
fi
exit $failed
