#pragma once
// Op codes shared with ts/backend/native/ops.ts (same order as the UnaryOp / BinaryOp unions there).
namespace tg {

enum UnaryCode : int {
  kCopy, kNeg, kAbs, kSign, kExp, kLog, kSqrt, kRsqrt, kSquare, kReciprocal, kSin, kCos, kTanh,
  kSigmoid, kRelu, kLeakyRelu, kElu, kClamp, kPowScalar, kAddScalar, kMulScalar, kRsubScalar,
  kRdivScalar, kLogicalNot, kUnaryCount
};

enum BinaryCode : int {
  kAdd, kSub, kMul, kDiv, kPow, kMaximum, kMinimum, kEq, kNe, kGt, kLt, kGe, kLe, kTanhBackward,
  kSigmoidBackward, kReluBackward, kLeakyReluBackward, kEluBackward, kBinaryCount
};

inline bool is_comparison(int op) { return op >= kEq && op <= kLe; }

enum ReduceCode : int { kSum, kProd, kMax, kMin, kReduceCount };

}  // namespace tg
