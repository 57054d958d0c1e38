// One helper thread for work too short for BLAS's threading but bound by memory bandwidth, where a second core
// nearly doubles the bytes read per microsecond: predicting one sample through a dense stack reads every weight
// once (W6 of BENCH.md). Policy (README "Threads"): used only when the thread count (set_num_threads) is above 1;
// the helper spins about 50 µs after its last job, then sleeps; the caller always works too and takes any chunk
// the helper has not claimed, so a busy or sleeping helper costs at most the chunk it holds.
#pragma once
#include <cstddef>

namespace tensile::cpu {

// Runs body(ctx, c) once for each c in [0, chunks), on the calling thread and, when it is free, the helper
// thread; returns when every chunk is done. Chunks must be independent (distinct outputs).
void parallel_chunks(size_t chunks, void (*body)(void* ctx, size_t c), void* ctx) noexcept;

template <class F>
void parallel_chunks(size_t chunks, F& f) noexcept {
  parallel_chunks(chunks, [](void* p, size_t c) { (*static_cast<F*>(p))(c); }, &f);
}

}  // namespace tensile::cpu
