// cblas_sgemm called directly (the same Debian OpenBLAS 0.3.21 that tensile links): median GFLOP/s of 2n^3/t.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static int cmp(const void* a, const void* b) { double x = *(double*)a, y = *(double*)b; return x < y ? -1 : x > y; }
int main(void) {
  int sizes[] = {256, 512, 1024, 2048};
  for (int s = 0; s < 4; ++s) {
    int n = sizes[s];
    float *a = malloc(sizeof(float) * n * n), *b = malloc(sizeof(float) * n * n), *c = malloc(sizeof(float) * n * n);
    for (long i = 0; i < (long)n * n; ++i) { a[i] = (float)rand() / RAND_MAX - 0.5f; b[i] = (float)rand() / RAND_MAX - 0.5f; }
    int calls = n <= 256 ? 200 : n <= 512 ? 40 : n <= 1024 ? 6 : 2;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
    double g[7];
    for (int r = 0; r < 7; ++r) {
      double t0 = now();
      for (int i = 0; i < calls; ++i) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
      g[r] = 2.0 * n * n * n * calls / (now() - t0) / 1e9;
    }
    qsort(g, 7, sizeof(double), cmp);
    printf("direct n=%d %.1f GFLOP/s\n", n, g[3]);
    free(a); free(b); free(c);
  }
}
