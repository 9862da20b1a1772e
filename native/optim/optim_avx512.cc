// The fused optimizer loops for the avx512 ISA level (flags come from the file name).
#define TG_ISA avx512
#include "optim/optim_impl.h"
