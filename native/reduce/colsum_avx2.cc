// Column sums for the avx2 ISA level (flags come from the file name).
#define TG_ISA avx2
#define TG_VBYTES 32
#include "reduce/colsum_impl.h"
