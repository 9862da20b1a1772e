// The fused optimizer loops for the avx2 ISA level (flags come from the file name).
#define TG_ISA avx2
#include "optim/optim_impl.h"
