#pragma once
// Op codes shared with the TypeScript side: the elementwise ones come from the op table
// (ts/backend/op-table.ts, generated into ops.gen.h); reductions are few and fixed.
#include "elementwise/ops.gen.h"

namespace tg {

enum ReduceCode : int { kSum, kProd, kMax, kMin, kReduceCount };

}  // namespace tg
