// Output tensors are typed arrays whose backing stores V8 frees in batches when a GC runs (tens of MB at
// once). With glibc's defaults the top of the heap is trimmed back to the OS as soon as more than 128 KB
// (dynamically up to 2x the mmap threshold) is free, and blocks of ≥ 128 KB are mmap'd, so every fresh
// output page faults and is zeroed by the kernel again: +3 µs per 64 KB output, +12 µs per 256 KB (measured,
// CPU time). Fixed thresholds within the range glibc's own dynamic heuristic reaches (mmap threshold up to
// 32 MB, trim threshold up to 64 MB) keep that memory resident and reused instead. RSS stays bounded: at most
// the trim threshold of free heap is retained. Skipped when the user tunes malloc themselves or sets
// TENSORGRAD_MALLOC_TUNING=0, and on other C libraries.
#include "addon/malloc_tuning.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace tg {

namespace {

constexpr int kMmapThreshold = 32 << 20;  // blocks up to 32 MB (glibc's own dynamic maximum) come from the heap and are reused
constexpr int kTrimThreshold = 64 << 20;  // free heap kept before returning memory to the OS

bool user_opted_out() {
  const char* v = std::getenv("TENSORGRAD_MALLOC_TUNING");
  if (v != nullptr && std::strcmp(v, "0") == 0) return true;
  // glibc reads these at startup; an explicit choice wins over ours.
  return std::getenv("MALLOC_TRIM_THRESHOLD_") != nullptr || std::getenv("MALLOC_MMAP_THRESHOLD_") != nullptr ||
         std::getenv("MALLOC_TOP_PAD_") != nullptr || std::getenv("GLIBC_TUNABLES") != nullptr;
}

}  // namespace

void tune_malloc_once() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    if (user_opted_out()) return;
    mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
    mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
  });
#endif
}

}  // namespace tg
