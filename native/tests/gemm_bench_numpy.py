# NumPy (OpenBLAS) matmul GFLOP/s for square n, best of several reps; run as
#   OPENBLAS_NUM_THREADS=1 python3 gemm_bench_numpy.py   (and =2)
import sys, time
import numpy as np

sizes = [int(x) for x in sys.argv[1:]] or [64, 128, 256, 512, 1024, 2048]
dtype = np.float32
for n in sizes:
    a = np.random.rand(n, n).astype(dtype)
    b = np.random.rand(n, n).astype(dtype)
    c = np.empty((n, n), dtype)
    inner = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(inner):
            np.matmul(a, b, out=c)
        if time.perf_counter() - t0 > 0.02 or inner >= 1 << 20:
            break
        inner *= 2
    best = 1e30
    for _ in range(12):
        t0 = time.perf_counter()
        for _ in range(inner):
            np.matmul(a, b, out=c)
        best = min(best, (time.perf_counter() - t0) / inner)
    print(f"{n:6d} {2 * n**3 / best * 1e-9:12.1f}", flush=True)
