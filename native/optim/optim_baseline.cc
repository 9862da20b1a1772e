// The fused optimizer loops for the baseline ISA level (flags come from the file name).
#define TG_ISA baseline
#include "optim/optim_impl.h"
