// Column sums: out[j] = Σ_i x[i*ld + j] over the m rows of a row-major m x n matrix. Dense layers use
// it for the bias gradient db = Σ_rows dZ. Each column is summed row after row, in order, so the
// AVX2 and portable paths give the same bits; the vectors only handle several columns at once.
#include "nn_internal.h"
#include "nn_kernels.h"

#if NN_X86
#include <immintrin.h>
#define NN_AVX __attribute__((target("avx2,fma")))
#endif

#define NN_SUM_ROWS_PORTABLE(NAME, T)                                   \
  static void NAME(long m, long n, const T *x, long ld, T *out) {       \
    for (long j = 0; j < n; j++) out[j] = 0;                            \
    for (long i = 0; i < m; i++)                                        \
      for (long j = 0; j < n; j++) out[j] += x[i * ld + j];             \
  }

NN_SUM_ROWS_PORTABLE(sum_rows_portable_s, float)
NN_SUM_ROWS_PORTABLE(sum_rows_portable_d, double)

#if NN_X86
// Four vectors of columns at a time, accumulated in registers down all the rows; then one vector at a
// time; the last columns (fewer than a vector) as one masked vector, so they too are summed side by
// side instead of one long chain of additions per column.
#define NN_SUM_ROWS_AVX(NAME, T, VEC, LANES, ZERO, LOADU, STOREU, ADD, MASK, MASKLOAD)          \
  NN_AVX static void NAME(long m, long n, const T *x, long ld, T *out) {                    \
    long j = 0;                                                                              \
    for (; j + 4 * LANES <= n; j += 4 * LANES) {                                             \
      VEC s0 = ZERO(), s1 = ZERO(), s2 = ZERO(), s3 = ZERO();                                \
      for (long i = 0; i < m; i++) {                                                         \
        const T *row = x + i * ld + j;                                                       \
        s0 = ADD(s0, LOADU(row));                                                            \
        s1 = ADD(s1, LOADU(row + LANES));                                                    \
        s2 = ADD(s2, LOADU(row + 2 * LANES));                                                \
        s3 = ADD(s3, LOADU(row + 3 * LANES));                                                \
      }                                                                                      \
      STOREU(out + j, s0);                                                                   \
      STOREU(out + j + LANES, s1);                                                           \
      STOREU(out + j + 2 * LANES, s2);                                                       \
      STOREU(out + j + 3 * LANES, s3);                                                       \
    }                                                                                        \
    for (; j + LANES <= n; j += LANES) {                                                     \
      VEC s = ZERO();                                                                        \
      for (long i = 0; i < m; i++) s = ADD(s, LOADU(x + i * ld + j));                        \
      STOREU(out + j, s);                                                                    \
    }                                                                                        \
    if (j < n) {                                                                             \
      __m256i mask = MASK(n - j); /* lanes below n - j; the others are neither read nor kept */ \
      VEC s = ZERO();                                                                        \
      for (long i = 0; i < m; i++) s = ADD(s, MASKLOAD(x + i * ld + j, mask));               \
      T lanes[LANES];                                                                        \
      STOREU(lanes, s);                                                                      \
      for (long q = 0; q < n - j; q++) out[j + q] = lanes[q];                                \
    }                                                                                        \
  }

NN_AVX static inline __m256i first_lanes_ps(long count) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
NN_AVX static inline __m256i first_lanes_pd(long count) {
  return _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), _mm256_setr_epi64x(0, 1, 2, 3));
}

NN_SUM_ROWS_AVX(sum_rows_avx_s, float, __m256, 8, _mm256_setzero_ps, _mm256_loadu_ps,
                _mm256_storeu_ps, _mm256_add_ps, first_lanes_ps, _mm256_maskload_ps)
NN_SUM_ROWS_AVX(sum_rows_avx_d, double, __m256d, 4, _mm256_setzero_pd, _mm256_loadu_pd,
                _mm256_storeu_pd, _mm256_add_pd, first_lanes_pd, _mm256_maskload_pd)
#endif

// The entry points: the AVX2 version where the CPU has it, else the portable one.
void nn_s_sum_rows(long m, long n, const float *x, long ld, float *out) {
  NN_SIMD_DISPATCH(sum_rows_avx_s, sum_rows_portable_s, m, n, x, ld, out);
}

void nn_d_sum_rows(long m, long n, const double *x, long ld, double *out) {
  NN_SIMD_DISPATCH(sum_rows_avx_d, sum_rows_portable_d, m, n, x, ld, out);
}
