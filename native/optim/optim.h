#pragma once
// Fused optimizer updates on contiguous parameters (validated arguments only): torch.optim 1.13 formulas,
// rounded to the parameter dtype where PyTorch rounds (see optim.cc).
#include <cstdint>

#include "elementwise/elementwise.h"

namespace tg {

struct SgdParams {
  double lr, momentum, dampening, weight_decay;
  bool nesterov, maximize, first_step;
};

struct AdamParams {
  double lr, beta1, beta2, eps, weight_decay;
  bool decoupled, amsgrad, maximize;
  double step;
};

// buf may be null when momentum is 0. All arrays hold n elements of `dtype`.
void sgd_step(DType dtype, void* param, const void* grad, void* buf, int64_t n, const SgdParams& p);
// max_sq may be null unless amsgrad.
void adam_step(DType dtype, void* param, const void* grad, void* exp_avg, void* exp_avg_sq, void* max_sq, int64_t n,
               const AdamParams& p);

}  // namespace tg
