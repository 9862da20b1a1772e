// Column sums for the baseline ISA level (flags come from the file name).
#define TG_ISA baseline
#define TG_VBYTES 16
#include "reduce/colsum_impl.h"
