#pragma once
// The dtype code every view carries across N-API (ts/backend/dtype-codes.ts holds the same numbers).
// Native code checks the code against the typed array it was handed instead of trusting either alone.
#include <stdint.h>

namespace tg {

enum DTypeCode : int { kFloat32 = 0, kFloat64 = 1, kInt32 = 2, kBool = 3, kBFloat16 = 4, kFloat16 = 5, kDTypeCount };

inline int dtype_item_size(int code) {
  switch (code) {
    case kFloat32: return 4;
    case kFloat64: return 8;
    case kInt32: return 4;
    case kBool: return 1;
    case kBFloat16: return 2;
    case kFloat16: return 2;
    default: return 0;
  }
}

}  // namespace tg
