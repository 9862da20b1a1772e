# NumPy (OpenBLAS) GFLOP/s and µs per call for the workload shapes of gemm_bench --shapes, best of several
# reps; run as   OPENBLAS_NUM_THREADS=1 python3 gemm_bench_numpy_shapes.py
# (numpy.matmul has no beta: the beta = 1 shape is timed as a plain product.)
import time
import numpy as np

SHAPES = [
    # W2
    (32, 512, 1, 0, 1), (32, 1, 512, 0, 1), (32, 512, 1, 0, 0), (1, 512, 32, 1, 0), (512, 1, 32, 1, 0),
    # W3/W4
    (64, 100, 1000, 0, 0), (64, 10, 100, 0, 0), (64, 100, 10, 0, 1), (1000, 100, 64, 1, 0), (100, 10, 64, 1, 0),
    (64, 100, 1000, 0, 1), (64, 10, 100, 0, 1), (64, 1000, 100, 0, 0), (64, 100, 10, 0, 0), (100, 1000, 64, 1, 0),
    (10, 100, 64, 1, 0),
    # W5
    (128, 512, 784, 0, 1), (128, 512, 512, 0, 1), (128, 10, 512, 0, 1), (128, 784, 512, 0, 0), (128, 512, 512, 0, 0),
    (128, 512, 10, 0, 0), (512, 784, 128, 1, 0), (512, 512, 128, 1, 0), (10, 512, 128, 1, 0),
]
for m, n, k, ta, tb in SHAPES:
    a = np.random.rand(k, m).astype(np.float32).T if ta else np.random.rand(m, k).astype(np.float32)
    b = np.random.rand(n, k).astype(np.float32).T if tb else np.random.rand(k, n).astype(np.float32)
    c = np.empty((m, n), np.float32)
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
    print(f"{m:5d} {n:5d} {k:5d} {ta:3d} {tb:3d} {2 * m * n * k / best * 1e-9:10.2f} {best * 1e6:10.2f}", flush=True)
