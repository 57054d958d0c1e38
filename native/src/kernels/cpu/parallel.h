// Tensile's own helper threads, for work too short for BLAS's threading or run by tensile's own kernels (the
// built-in GEMM and GEMV, predicting one sample through a dense stack). Policy (README "Threads"): with a thread
// count T (set_num_threads), a job runs on the calling thread and up to T - 1 helpers; with T = 1 there are none.
// Helpers are started on first use, spin about 50 µs after their last job, then sleep; the caller always works
// too and takes any chunk no helper has claimed, so a busy or sleeping helper costs at most the chunk it holds.
// This is the only pool tensile starts; a job never runs beside an OpenBLAS call of the same caller.
#pragma once
#include <cstddef>

namespace tensile::cpu {

// Runs body(ctx, c) once for each c in [0, chunks), on the calling thread and on up to min(chunks, threads) - 1
// helper threads (threads: the thread count, get_num_threads()); returns when every chunk is done. Chunks must
// be independent (distinct outputs).
void parallel_chunks(size_t chunks, void (*body)(void* ctx, size_t c), void* ctx) noexcept;

template <class F>
void parallel_chunks(size_t chunks, F& f) noexcept {
  parallel_chunks(
      chunks, [](void* p, size_t c) { (*static_cast<F*>(p))(c); }, &f);
}

// The thread count of tensile's kernels: the helpers a job may use, plus the caller. Default: the CPUs this
// process may run on. set_num_threads (gemm.h) also sets OpenBLAS's.
void set_pool_threads(int n) noexcept;
int pool_threads() noexcept;

}  // namespace tensile::cpu
