#!/bin/bash
# Side-by-side best-of-runs GFLOP/s: gemm_bench vs NumPy matmul (OpenBLAS), alternating runs so both see the
# same machine load. Usage: gemm_compare.sh THREADS RUNS [sizes...]   (needs `make all` first)
cd "$(dirname "$0")"
T=${1:-1}; R=${2:-4}; shift 2
SIZES=${*:-64 128 256 512 1024 2048}
BENCH=${BENCH:-${TMPDIR:-/tmp}/tensorgrad-gemm-tests/gemm_bench}
PY=${PY:-python3}
for r in $(seq "$R"); do
  $BENCH -t"$T" $SIZES | tail -n +3 | awk -v c=$((T + 1)) '{print "ours", $1, $c}'
  OPENBLAS_NUM_THREADS=$T $PY gemm_bench_numpy.py $SIZES | awk '{print "numpy", $1, $2}'
done | awk '{k=$1" "$2; if (!(k in b) || $3 > b[k]) b[k] = $3; n[$2] = 1}
  END {printf "%6s %10s %10s %7s\n", "n", "ours", "numpy", "ratio";
       for (s in n) printf "%6d %10.1f %10.1f %7.2f\n", s, b["ours " s], b["numpy " s], b["ours " s] / b["numpy " s]}' | sort -n
