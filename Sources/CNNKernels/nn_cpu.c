// Run-time CPU detection: the AVX2+FMA kernels run only where the CPU has both, and tests can turn
// them off to exercise the portable path on the same machine.
#include <stdatomic.h>

#include "nn_internal.h"
#include "nn_kernels.h"

// -1 = not yet detected, 0 = portable path, 1 = AVX2+FMA path.
static _Atomic int simd_state = -1;

static int cpu_has_avx2_fma(void) {
#if NN_X86
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return 0;
#endif
}

int nn_simd_active(void) {
  int state = atomic_load_explicit(&simd_state, memory_order_relaxed);
  if (state < 0) {
    state = cpu_has_avx2_fma();
    atomic_store_explicit(&simd_state, state, memory_order_relaxed);
  }
  return state;
}

int nn_cpu_has_avx2_fma(void) { return nn_simd_active(); }

void nn_set_simd_enabled(int enabled) {
  atomic_store_explicit(&simd_state, enabled ? cpu_has_avx2_fma() : 0, memory_order_relaxed);
}
