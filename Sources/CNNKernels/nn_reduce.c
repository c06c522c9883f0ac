// Column sums: out[j] = Σ_i x[i*ld + j] over the m rows of a row-major m x n matrix. Dense layers use
// it for the bias gradient db = Σ_rows dZ. Each column is summed row after row, in order, so the
// AVX2 and portable paths give the same bits; the vectors only handle several columns at once.
#include "nn_internal.h"
#include "nn_kernels.h"

#define NN_SUM_ROWS_PORTABLE(NAME, T)                                   \
  static void NAME(long m, long n, const T *x, long ld, T *out) {       \
    for (long j = 0; j < n; j++) out[j] = 0;                            \
    for (long i = 0; i < m; i++)                                        \
      for (long j = 0; j < n; j++) out[j] += x[i * ld + j];             \
  }

NN_SUM_ROWS_PORTABLE(sum_rows_portable_s, float)
NN_SUM_ROWS_PORTABLE(sum_rows_portable_d, double)

#if NN_X86
// Columns summed in one pass down the rows: `vectors` (1 to 8, a constant where it is inlined)
// accumulators, the last of which holds `last` columns (1 to the lane count). Each column's sum is a
// chain of additions, each waiting about 3 cycles for the one before it; the vectors' chains run side
// by side, so one pass over 8 vectors takes hardly longer than over 1. Rows i < whole_rows read the
// last vector whole (the caller has checked that the read stays inside x; the extra lanes are summed
// and dropped), later rows read only its first `last` lanes.
#define NN_SUM_PASS(NAME, T, VEC, LANES, ZERO, LOADU, STOREU, ADD, LOAD_FIRST)                   \
  NN_AVX static inline __attribute__((always_inline)) void NAME(                               \
      long m, const T *x, long ld, T *out, const int vectors, long last, long whole_rows) {    \
    VEC s[8];                                                                                  \
    for (int q = 0; q < 8; q++) s[q] = ZERO();                                                 \
    long i = 0;                                                                                \
    for (; i < whole_rows; i++) {                                                              \
      const T *row = x + i * ld;                                                               \
      for (int q = 0; q < vectors; q++) s[q] = ADD(s[q], LOADU(row + q * LANES));              \
    }                                                                                          \
    for (; i < m; i++) {                                                                       \
      const T *row = x + i * ld;                                                               \
      for (int q = 0; q < vectors - 1; q++) s[q] = ADD(s[q], LOADU(row + q * LANES));          \
      s[vectors - 1] = ADD(s[vectors - 1], LOAD_FIRST(row + (vectors - 1) * LANES, last));     \
    }                                                                                          \
    for (int q = 0; q < vectors - 1; q++) STOREU(out + q * LANES, s[q]);                       \
    T lanes[LANES];                                                                            \
    STOREU(lanes, s[vectors - 1]);                                                             \
    for (long q = 0; q < last; q++) out[(vectors - 1) * LANES + q] = lanes[q];                 \
  }

// Passes of 4 whole vectors of columns while more than 8 vectors are left, then one pass over the
// rest. Where reading the last vector whole would leave x, its first lanes are read with
// nn_load_first_ps/pd (nn_internal.h: 4-, 2- and 1-lane loads, not the slow masked ones).
#define NN_SUM_ROWS_AVX(NAME, PASS, T, LANES)                                                  \
  NN_AVX static void NAME(long m, long n, const T *x, long ld, T *out) {                     \
    long j = 0;                                                                                \
    for (; n - j > 8 * LANES; j += 4 * LANES) PASS(m, x + j, ld, out + j, 4, LANES, m);        \
    const long vectors = (n - j + LANES - 1) / LANES, last = n - j - (vectors - 1) * LANES;    \
    /* Row i's last vector ends at element i*n + j + vectors*LANES of a contiguous x of m*n. */ \
    const long whole_rows =                                                                    \
        last == LANES ? m : ld != n ? 0 : nn_rows_within(m, n, j + vectors * LANES, m * n);    \
    switch (vectors) {                                                                         \
      case 1: PASS(m, x + j, ld, out + j, 1, last, whole_rows); break;                         \
      case 2: PASS(m, x + j, ld, out + j, 2, last, whole_rows); break;                         \
      case 3: PASS(m, x + j, ld, out + j, 3, last, whole_rows); break;                         \
      case 4: PASS(m, x + j, ld, out + j, 4, last, whole_rows); break;                         \
      case 5: PASS(m, x + j, ld, out + j, 5, last, whole_rows); break;                         \
      case 6: PASS(m, x + j, ld, out + j, 6, last, whole_rows); break;                         \
      case 7: PASS(m, x + j, ld, out + j, 7, last, whole_rows); break;                         \
      case 8: PASS(m, x + j, ld, out + j, 8, last, whole_rows); break;                         \
      default: break; /* no columns */                                                         \
    }                                                                                          \
  }

NN_SUM_PASS(sum_pass_s, float, __m256, 8, _mm256_setzero_ps, _mm256_loadu_ps, _mm256_storeu_ps,
            _mm256_add_ps, nn_load_first_ps)
NN_SUM_PASS(sum_pass_d, double, __m256d, 4, _mm256_setzero_pd, _mm256_loadu_pd, _mm256_storeu_pd,
            _mm256_add_pd, nn_load_first_pd)
NN_SUM_ROWS_AVX(sum_rows_avx_s, sum_pass_s, float, 8)
NN_SUM_ROWS_AVX(sum_rows_avx_d, sum_pass_d, double, 4)
#endif

// The entry points: the AVX2 version where the CPU has it, else the portable one.
void nn_s_sum_rows(long m, long n, const float *x, long ld, float *out) {
  NN_SIMD_DISPATCH(sum_rows_avx_s, sum_rows_portable_s, m, n, x, ld, out);
}

void nn_d_sum_rows(long m, long n, const double *x, long ld, double *out) {
  NN_SIMD_DISPATCH(sum_rows_avx_d, sum_rows_portable_d, m, n, x, ld, out);
}
