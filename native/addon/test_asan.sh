#!/bin/sh
# Builds the addon with -fsanitize=address,undefined (CMake, into build/asan) and runs the parity and
# misuse suites against it. libasan must be loaded first, so it is preloaded into node.
set -e
cd "$(dirname "$0")/../.."
cmake -S . -B build/asan -DTG_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/asan -j 2
LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)" \
ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
TENSORGRAD_NATIVE_PATH="build/asan/tensorgrad.node" \
  npx vitest run test/backend/parity test/backend/native "$@"
