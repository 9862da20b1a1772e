// The contiguous elementwise kernels for the avx2 ISA level (flags come from the file name).
#define TG_ISA avx2
#define TG_VBYTES 32
#include "elementwise/kernels_impl.h"
