// One precision's instances of nn_network_step_template.h: the portable copy (names ending in
// _portable_<SUFFIX>) and, on x86-64, the AVX2+FMA copy (_avx_<SUFFIX>). The includer defines T, VEC,
// IVEC, DVEC, LANES, ALIASED_T, LANE_INDEX, LANE_SUM, SIGMOID, TANH and SUFFIX (f or d); all of them
// are undefined here afterwards, so the next precision starts clean. Included once per precision
// (no include guard).
#define NAME(x) NN_STEP_PASTE(x##_portable_, SUFFIX)
#define ATTR
#include "nn_network_step_template.h"
#undef NAME
#undef ATTR
#if NN_X86
#define NAME(x) NN_STEP_PASTE(x##_avx_, SUFFIX)
#define ATTR NN_AVX
#include "nn_network_step_template.h"
#undef NAME
#undef ATTR
#endif
#undef T
#undef VEC
#undef IVEC
#undef DVEC
#undef LANES
#undef ALIASED_T
#undef LANE_INDEX
#undef LANE_SUM
#undef SIGMOID
#undef TANH
#undef SUFFIX
