#include "layout.h"

#include <cstring>

#include "strided.h"

namespace tensile::cpu {

namespace {

constexpr size_t kTile = 32;  // 32×32 floats in and out: both tiles stay in L1

// Visits every index of the axes in `axes` (odometer, last fastest), passing the read and write
// offsets accumulated through rs (x) and os (out).
template <class Visit>
void for_each_index(const size_t* axes, size_t count, const size_t* dims, const size_t* rs, const size_t* os,
                    Visit&& visit) noexcept {
  size_t idx[kMaxRank] = {};
  size_t in = 0, outOff = 0;
  for (;;) {
    visit(in, outOff);
    size_t k = count;
    for (; k-- > 0;) {
      const size_t a = axes[k];
      in += rs[a], outOff += os[a];
      if (++idx[k] < dims[a]) break;
      in -= rs[a] * dims[a], outOff -= os[a] * dims[a];
      idx[k] = 0;
    }
    if (k == size_t(-1)) return;
  }
}

}  // namespace

void transpose(const float* x, float* out, const size_t* shape, const size_t* perm, size_t rank) noexcept {
  size_t xs[kMaxRank], total = 1;
  for (size_t d = rank; d-- > 0;) xs[d] = total, total *= shape[d];
  if (total == 0) return;
  // Out axes with their read strides; size-1 axes dropped, and an axis merged into the previous one
  // when x holds the two adjacently in the same order (then the pair reads as one longer axis).
  size_t dims[kMaxRank], rs[kMaxRank], r = 0;
  for (size_t i = 0; i < rank; ++i) {
    const size_t d = shape[perm[i]], s = xs[perm[i]];
    if (d == 1) continue;
    if (r > 0 && rs[r - 1] == s * d) {
      dims[r - 1] *= d, rs[r - 1] = s;
    } else {
      dims[r] = d, rs[r] = s, ++r;
    }
  }
  if (r == 0) {
    out[0] = x[0];
    return;
  }
  size_t os[kMaxRank];
  for (size_t d = r, acc = 1; d-- > 0;) os[d] = acc, acc *= dims[d];
  const size_t last = r - 1;
  size_t c = 0;  // the out axis that reads x contiguously (x's innermost axis of size > 1)
  while (rs[c] != 1) ++c;
  size_t others[kMaxRank], nOthers = 0;
  for (size_t d = 0; d < r; ++d)
    if (d != c && d != last) others[nOthers++] = d;
  if (c == last) {
    // The innermost axis is unchanged: whole rows are copies.
    for_each_index(others, nOthers, dims, rs, os,
                   [&](size_t in, size_t o) { std::memcpy(out + o, x + in, dims[last] * sizeof(float)); });
    return;
  }
  // A 2-D transpose between axis c (contiguous in x) and the last axis (contiguous in out), tiled.
  const size_t rows = dims[c], cols = dims[last], ros = os[c], rcs = rs[last];
  for_each_index(others, nOthers, dims, rs, os, [&](size_t in, size_t o) {
    for (size_t i0 = 0; i0 < rows; i0 += kTile) {
      const size_t i1 = i0 + kTile < rows ? i0 + kTile : rows;
      for (size_t j0 = 0; j0 < cols; j0 += kTile) {
        const size_t j1 = j0 + kTile < cols ? j0 + kTile : cols;
        for (size_t i = i0; i < i1; ++i) {
          float* __restrict dst = out + o + i * ros;
          const float* src = x + in + i;
          for (size_t j = j0; j < j1; ++j) dst[j] = src[j * rcs];
        }
      }
    }
  });
}

void gather(const float* x, const int32_t* indices, size_t count, float* out, size_t rowSize) noexcept {
  if (rowSize == 0) return;  // x may be empty (a null pointer): nothing to copy
  for (size_t r = 0; r < count; ++r)
    std::memcpy(out + r * rowSize, x + size_t(indices[r]) * rowSize, rowSize * sizeof(float));
}

void scatter_add(const float* x, const int32_t* indices, size_t count, float* out, size_t rowSize) noexcept {
  for (size_t r = 0; r < count; ++r) {
    float* __restrict dst = out + size_t(indices[r]) * rowSize;
    const float* __restrict src = x + r * rowSize;
    for (size_t j = 0; j < rowSize; ++j) dst[j] += src[j];
  }
}

}  // namespace tensile::cpu
