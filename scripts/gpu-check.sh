#!/usr/bin/env bash
# The CUDA checks for a machine with an NVIDIA GPU, within 5 minutes: build the addon with CUDA, run the
# cuda-vs-CPU checks (scripts/gpu-check.mjs), then W2/W4/W5 training and W3 at n = 8192 (fp32, TF32) with
# `tensile bench`, PyTorch on the same GPU as the peer. Works from a full checkout (npm ci done) or from a
# bare tree plus .gpu/ (scripts/gpu-carry.sh: Node, header packages, dist/). Results also land in $OUT.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d)}
say() { echo "== $*"; }
t0=$SECONDS

# Node: on PATH, or the carried one.
if ! command -v node >/dev/null; then
  if [ -f .gpu/node.xz ]; then
    mkdir -p /tmp/gpu-node/bin && xz -dc .gpu/node.xz > /tmp/gpu-node/bin/node && chmod +x /tmp/gpu-node/bin/node
    export PATH=/tmp/gpu-node/bin:$PATH
  else
    say "no node on this machine and no .gpu/node.xz: run scripts/gpu-carry.sh and carry .gpu"; exit 2
  fi
fi
say "node $(node --version)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
command -v nvcc >/dev/null || export PATH=/usr/local/cuda/bin:$PATH
command -v nvcc >/dev/null || { say "nvcc not found"; exit 2; }
say "$(nvcc --version | tail -1)"

# dist/ and the header packages: the checkout's, else the carried ones.
[ -f dist/index.cjs ] || { [ -d .gpu/dist ] && cp -r .gpu/dist dist; }
mods=node_modules
[ -d node_modules/node-addon-api ] || mods=.gpu/node_modules
[ -f dist/index.cjs ] && [ -d "$mods/node-addon-api" ] || { say "need dist/ and node-addon-api: npm ci, or carry .gpu (scripts/gpu-carry.sh)"; exit 2; }

# Build with CUDA (plain cmake: cmake-js may be absent). OpenBLAS if the machine has it, else the built-in GEMM.
say "building with CUDA"
cmake -S . -B build/gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DTENSILE_CUDA=ON \
  -DCMAKE_JS_INC="$PWD/$mods/node-api-headers/include" -DNODE_ADDON_API_DIR="$PWD/$mods/node-addon-api" >"$OUT/build.log" 2>&1 &&
  cmake --build build/gpu -j >>"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; say "build failed"; exit 1; }
export TENSILE_ADDON_PATH=$PWD/build/gpu/tensile.node
[ -f "$TENSILE_ADDON_PATH" ] || export TENSILE_ADDON_PATH=$PWD/build/gpu/Release/tensile.node
say "built in $((SECONDS - t0)) s"
node bin/tensile.cjs info

say "cuda vs CPU checks"
node scripts/gpu-check.mjs 2>&1 | tee "$OUT/gpu-check.txt"
status=${PIPESTATUS[0]}

say "benchmarks (tensile on cuda, PyTorch on the GPU)"
export TENSILE_BACKEND=cuda TENSILE_BENCH_DEVICE=cuda
timeout 150 node bin/tensile.cjs bench --workloads W2,W4,W5 --peers torch --repeat 5 --json "$OUT/bench-train.json" 2>&1 | tail -12
TENSILE_BENCH_W3_SIZES=8192 timeout 45 node bin/tensile.cjs bench --workloads W3 --peers torch --repeat 5 --json "$OUT/bench-gemm-fp32.json" 2>&1 | tail -4
TENSILE_TF32=1 TENSILE_BENCH_W3_SIZES=8192 timeout 45 node bin/tensile.cjs bench --workloads W3 --peers torch --repeat 5 --json "$OUT/bench-gemm-tf32.json" 2>&1 | tail -4
say "done in $((SECONDS - t0)) s"
exit "$status"
