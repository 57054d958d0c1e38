#include "../kernels/cpu/layout.h"

#include <string>

#include "../kernels/cpu/strided.h"
#include "args.h"
#include "bindings.h"
#include "deferred.h"

namespace tensile::binding {

namespace {
constexpr double kMaxDim = 2147483647.0;

// Every index must name a row of a buffer with `rows` rows: a bad index throws, never reads out of bounds.
void expectIndices(const Args& args, const I32& indices, size_t rows) {
  for (size_t r = 0; r < indices.length; ++r) {
    const int32_t i = indices.data[r];
    if (i < 0 || size_t(i) >= rows)
      args.fail("indices[" + std::to_string(r) + "] = " + std::to_string(i) + " is out of range [0, " +
                    std::to_string(rows) + ")",
                true);
  }
}

// The number of rowSize-element rows a buffer holds (it must hold whole rows).
size_t rowsOf(const Args& args, const F32& a, size_t rowSize) {
  if (rowSize == 0) return 0;
  if (a.length % rowSize != 0)
    args.fail(std::string(a.name) + " has " + std::to_string(a.length) +
                  " elements, not a multiple of rowSize = " + std::to_string(rowSize),
              true);
  return a.length / rowSize;
}
}  // namespace

// transposeF32(x, out, shape, perm): out axis i is x axis perm[i]; shape and perm are Float64Arrays.
Napi::Value TransposeF32(const Napi::CallbackInfo& info) {
  Args args(info, "transposeF32");
  args.expectCount(4);
  F32 x = args.f32(0, "x"), out = args.f32(1, "out");
  const auto shape = args.ints<cpu::kMaxRank>(2, "shape", kMaxDim);
  const auto perm = args.ints<cpu::kMaxRank>(3, "perm", kMaxDim);
  bool seen[cpu::kMaxRank] = {};
  bool isPermutation = perm.size == shape.size;
  for (size_t p : perm) {
    if (!isPermutation || p >= shape.size || seen[p]) isPermutation = false;
    else seen[p] = true;
  }
  if (!isPermutation) {
    std::string got;
    for (size_t p : perm) got += (got.empty() ? "" : ", ") + std::to_string(p);
    args.fail("perm must be a permutation of the " + std::to_string(shape.size) + " axes of shape, got [" + got + "]",
              true);
  }
  size_t total = 1;
  for (size_t d : shape) total = args.product({total, d}, "prod(shape)");
  args.expectLength(x, total, "prod(shape)");
  args.expectLength(out, total, "prod(shape)");
  args.expectDistinct(out, {&x});
  run([=] { cpu::transpose(x.data, out.data, shape.data, perm.data, shape.size); });
  return info.Env().Undefined();
}

// gatherF32(x, indices, out, rowSize): out row r = x row indices[r].
Napi::Value GatherF32(const Napi::CallbackInfo& info) {
  Args args(info, "gatherF32");
  args.expectCount(4);
  F32 x = args.f32(0, "x");
  I32 indices = args.i32(1, "indices");
  F32 out = args.f32(2, "out");
  const size_t rowSize = args.dim(3, "rowSize");
  args.expectLength(out, args.product({indices.length, rowSize}, "indices.length*rowSize"), "indices.length*rowSize");
  if (rowSize > 0) expectIndices(args, indices, rowsOf(args, x, rowSize));  // empty rows read nothing
  args.expectDistinct(out, {&x});
  args.expectApart(out, indices);
  kernelOnly(args);
  cpu::gather(x.data, indices.data, indices.length, out.data, rowSize);
  return info.Env().Undefined();
}

// scatterAddF32(x, indices, out, rowSize): out row indices[r] += x row r.
Napi::Value ScatterAddF32(const Napi::CallbackInfo& info) {
  Args args(info, "scatterAddF32");
  args.expectCount(4);
  F32 x = args.f32(0, "x");
  I32 indices = args.i32(1, "indices");
  F32 out = args.f32(2, "out");
  const size_t rowSize = args.dim(3, "rowSize");
  args.expectLength(x, args.product({indices.length, rowSize}, "indices.length*rowSize"), "indices.length*rowSize");
  if (rowSize > 0) expectIndices(args, indices, rowsOf(args, out, rowSize));
  args.expectDistinct(out, {&x});
  args.expectApart(out, indices);
  kernelOnly(args);
  cpu::scatter_add(x.data, indices.data, indices.length, out.data, rowSize);
  return info.Env().Undefined();
}

}  // namespace tensile::binding
