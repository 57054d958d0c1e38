// Compiled when CMake finds no CUDA toolkit (or TENSILE_CUDA=OFF): same names, no GPU.
#include "cuda.h"

namespace tensile::cuda {
bool built() noexcept { return false; }
}  // namespace tensile::cuda
