// TENSILE_MULTIVERSION before a kernel's definition compiles it twice, for x86-64-v3 (AVX2 + FMA)
// and for the baseline, and picks one at load time (an ifunc; needs g++ and glibc). `flatten`
// inlines the kernel's loops into each copy so that they are vectorized for both ISAs.
// The portable build stays baseline x86-64: a prebuilt binary runs on any x86-64 CPU.
#pragma once
#include <cstdint>  // defines __GLIBC__ where glibc is the C library

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__GLIBC__) && \
    !defined(TENSILE_NO_MULTIVERSION)
#define TENSILE_MULTIVERSION __attribute__((target_clones("arch=x86-64-v3", "default"), flatten))
#else
#define TENSILE_MULTIVERSION
#endif
