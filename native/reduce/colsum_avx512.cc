// Column sums for the avx512 ISA level (flags come from the file name).
#define TG_ISA avx512
#define TG_VBYTES 64
#include "reduce/colsum_impl.h"
