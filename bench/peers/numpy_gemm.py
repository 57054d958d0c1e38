# W3 peer: numpy.matmul on float32, square n, median of repeats (same method as bench/gemm.ts).
import sys, time
import numpy as np

sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "256,1024,2048").split(",")]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 7
try:
    from threadpoolctl import threadpool_info
    info = [(i.get("internal_api"), i.get("architecture"), i.get("num_threads")) for i in threadpool_info()]
except Exception:
    info = "threadpoolctl not installed"
print(f"numpy {np.__version__}; blas {info}")
for n in sizes:
    a = (np.random.rand(n, n) - 0.5).astype(np.float32)
    b = (np.random.rand(n, n) - 0.5).astype(np.float32)
    inner = max(1, round(2e9 / (2 * n ** 3)))
    for _ in range(inner):
        a @ b
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(inner):
            a @ b
        ts.append((time.perf_counter() - t0) / inner)
    ts.sort()
    t = ts[len(ts) // 2]
    print(f"n={n}: {2 * n ** 3 / t / 1e9:.1f} GFLOP/s (median of {repeat}, {t * 1e3:.3f} ms)")
