#!/bin/bash
# Workload-shape table: gemm_bench --shapes vs NumPy matmul (OpenBLAS) at 1 and 2 threads, alternating runs,
# best µs per call over RUNS runs. Usage: gemm_compare_shapes.sh [RUNS]   (needs `make all` first)
cd "$(dirname "$0")"
R=${1:-3}
BENCH=${BENCH:-${TMPDIR:-/tmp}/tensorgrad-gemm-tests/gemm_bench}
PY=${PY:-python3}
for r in $(seq "$R"); do
  $BENCH --shapes | tail -n +2 | awk '{print "o1", $1"x"$2"x"$3"/"$4$5, $9; print "o2", $1"x"$2"x"$3"/"$4$5, $10}'
  OPENBLAS_NUM_THREADS=1 $PY gemm_bench_numpy_shapes.py | awk '{print "n1", $1"x"$2"x"$3"/"$4$5, $7}'
  OPENBLAS_NUM_THREADS=2 $PY gemm_bench_numpy_shapes.py | awk '{print "n2", $1"x"$2"x"$3"/"$4$5, $7}'
done | awk '{k=$1" "$2; if (!(k in b) || $3 < b[k]) b[k] = $3; if (!($2 in seen)) {seen[$2] = 1; order[n++] = $2}}
  END {printf "%-18s %9s %9s %9s %9s   (us per call, best of runs; shape m x n x k / tA tB)\n", "shape", "ours 1t", "numpy 1t", "ours 2t", "numpy 2t";
       for (i = 0; i < n; i++) { s = order[i]; printf "%-18s %9.2f %9.2f %9.2f %9.2f\n", s, b["o1 " s], b["n1 " s], b["o2 " s], b["n2 " s] } }'
