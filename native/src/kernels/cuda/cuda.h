// The CUDA side's entry points. Without the toolkit, cuda_stub.cc provides them.
#pragma once

namespace tensile::cuda {
bool built() noexcept;  // compiled with CUDA kernels
}  // namespace tensile::cuda
