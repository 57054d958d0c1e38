// Reading a convolution's or a pooling window's geometry (a Float64Array, in the order of
// Conv2dDims / Pool2dDims) with the checks that keep every kernel's indexing in bounds.
#pragma once
#include <limits>
#include <string>

#include "../kernels/cpu/conv.h"
#include "../kernels/cpu/pool.h"
#include "args.h"

namespace tensile::binding {

inline constexpr double kIntMax = double(std::numeric_limits<int32_t>::max());

// [n, h, w, c, kh, kw, cout, oh, ow, strideH, strideW, dilationH, dilationW, padTop, padLeft]. Any padding and
// output size are memory-safe (im2col bounds-checks every read); the GEMM sizes must fit in int.
inline cpu::Conv2dDims conv_geometry(const Args& args, size_t i) {
  const auto g = args.ints<15>(i, "geom", kIntMax);
  if (g.size != 15) args.fail("geom has " + std::to_string(g.size) + " entries, expected 15", true);
  const cpu::Conv2dDims d{g[0], g[1], g[2],  g[3],  g[4],  g[5],  g[6], g[7],
                          g[8], g[9], g[10], g[11], g[12], g[13], g[14]};
  if (d.kh == 0 || d.kw == 0) args.fail("kernel size must be at least 1", true);
  if (d.stride_h == 0 || d.stride_w == 0 || d.dilation_h == 0 || d.dilation_w == 0)
    args.fail("strides and dilations must be at least 1", true);
  if (args.product({d.n, d.oh, d.ow}, "n*oh*ow") > size_t(kIntMax)) args.fail("n*oh*ow exceeds 2147483647", true);
  if (args.product({d.kh, d.kw, d.c}, "kh*kw*c") > size_t(kIntMax)) args.fail("kh*kw*c exceeds 2147483647", true);
  args.product({d.n, d.oh, d.ow, d.kh, d.kw, d.c}, "n*oh*ow*kh*kw*c");
  return d;
}

// [n, h, w, c, kh, kw, oh, ow, strideH, strideW, padTop, padLeft]. Every window is clipped to the input, so
// any padding and output size are memory-safe.
inline cpu::Pool2dDims pool_geometry(const Args& args, size_t i) {
  const auto g = args.ints<12>(i, "geom", kIntMax);
  if (g.size != 12) args.fail("geom has " + std::to_string(g.size) + " entries, expected 12", true);
  const cpu::Pool2dDims d{g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11]};
  if (d.kh == 0 || d.kw == 0) args.fail("pool size must be at least 1", true);
  if (d.stride_h == 0 || d.stride_w == 0) args.fail("strides must be at least 1", true);
  return d;
}

}  // namespace tensile::binding
