#pragma once
// Op codes shared with the TypeScript side, generated from the op table (ts/backend/op-table.ts).
#include "elementwise/ops.gen.h"
