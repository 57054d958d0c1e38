// The allocator policy for tensor memory (glibc): every op's output is a fresh typed array, and with glibc's
// defaults each one of 128 KB or more (after the first large free: of the dynamic threshold) is a fresh mmap whose
// pages fault in on first touch, which costs as much as the op itself (tl.matmul n = 1024: ~24 ms against ~11 ms
// into memory already mapped). Fixed thresholds keep freed outputs in the heap for the next one: blocks up to
// 32 MB (glibc's maximum) come from the heap, and up to 128 MB free at its top is kept before trimming. Fixed
// thresholds also stop glibc from raising them as it goes, so memory use is steady (the soak test).
// Set when the addon loads, unless the user set the allocator's own variables, or TENSILE_MALLOC_POLICY=0.
#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

bool ApplyMallocPolicy() {
#if defined(__GLIBC__)
  const char* off = std::getenv("TENSILE_MALLOC_POLICY");
  if (off && std::strcmp(off, "0") == 0) return false;
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") || std::getenv("MALLOC_TRIM_THRESHOLD_") || std::getenv("GLIBC_TUNABLES"))
    return false;
  return mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 128 << 20) == 1;
#else
  return false;
#endif
}

[[maybe_unused]] const bool kMallocPolicyApplied = ApplyMallocPolicy();

}  // namespace
