// Matrix products: nn_sgemm and nn_dgemm, built from nn_gemm_template.h once per precision.
#include "nn_internal.h"
#include "nn_kernels.h"

#if NN_X86
#include <immintrin.h>
#define NN_AVX __attribute__((target("avx2,fma")))
#endif

// MARK: - Single precision: 6 x 16 register tile (12 ymm accumulators of 8 floats)

#define T float
#define NN_NAME(x) x##_s
#define MR 6
#define NR 16
#define KC 256
#define MC 144
#define NC 2048
#define DIRECT_MAX_WORK (48.0 * 48 * 48)
#define THREAD_MIN_WORK (48.0 * 48 * 48)
#if NN_X86
#define VEC __m256
#define VLANES 8
#define VZERO() _mm256_setzero_ps()
#define VSET1(x) _mm256_set1_ps(x)
#define VLOAD(p) _mm256_load_ps(p)
#define VLOADU(p) _mm256_loadu_ps(p)
#define VSTOREU(p, v) _mm256_storeu_ps(p, v)
#define VBCAST(p) _mm256_broadcast_ss(p)
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define VMUL(a, b) _mm256_mul_ps(a, b)
#define VADD(a, b) _mm256_add_ps(a, b)
#define VSTORE_FIRST(p, v, count) nn_store_first_ps(p, v, count)
#define VLOAD_FIRST(p, count) nn_load_first_ps(p, count)
// Stores lanes [0, count) of v (count ≤ 8) with 8-, 4-, 2- and 1-lane stores, from registers.
NN_AVX static inline void nn_store_first_ps(float *to, __m256 v, long count) {
  if (count >= 8) {
    _mm256_storeu_ps(to, v);
    return;
  }
  __m128 part = _mm256_castps256_ps128(v);
  if (count >= 4) {
    _mm_storeu_ps(to, part);
    part = _mm256_extractf128_ps(v, 1);
    to += 4;
    count -= 4;
  }
  if (count >= 2) {
    _mm_storel_pi((__m64 *)to, part);
    part = _mm_movehl_ps(part, part);
    to += 2;
    count -= 2;
  }
  if (count >= 1) _mm_store_ss(to, part);
}
// Loads lanes [0, count) of p (count ≤ 8); the other lanes are zero.
NN_AVX static inline __m256 nn_load_first_ps(const float *from, long count) {
  float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (long i = 0; i < count; i++) lanes[i] = from[i];
  return _mm256_loadu_ps(lanes);
}
#endif
#include "nn_gemm_template.h"
#undef T
#undef NN_NAME
#undef MR
#undef NR
#undef KC
#undef MC
#undef NC
#undef DIRECT_MAX_WORK
#undef THREAD_MIN_WORK
#if NN_X86
#undef VEC
#undef VLANES
#undef VZERO
#undef VSET1
#undef VLOAD
#undef VLOADU
#undef VSTOREU
#undef VBCAST
#undef VFMA
#undef VMUL
#undef VADD
#undef VSTORE_FIRST
#undef VLOAD_FIRST
#endif

// MARK: - Double precision: 6 x 8 register tile (12 ymm accumulators of 4 doubles)

#define T double
#define NN_NAME(x) x##_d
#define MR 6
#define NR 8
#define KC 256
#define MC 72
#define NC 1024
#define DIRECT_MAX_WORK (40.0 * 40 * 40)
#define THREAD_MIN_WORK (40.0 * 40 * 40)
#if NN_X86
#define VEC __m256d
#define VLANES 4
#define VZERO() _mm256_setzero_pd()
#define VSET1(x) _mm256_set1_pd(x)
#define VLOAD(p) _mm256_load_pd(p)
#define VLOADU(p) _mm256_loadu_pd(p)
#define VSTOREU(p, v) _mm256_storeu_pd(p, v)
#define VBCAST(p) _mm256_broadcast_sd(p)
#define VFMA(a, b, c) _mm256_fmadd_pd(a, b, c)
#define VMUL(a, b) _mm256_mul_pd(a, b)
#define VADD(a, b) _mm256_add_pd(a, b)
#define VSTORE_FIRST(p, v, count) nn_store_first_pd(p, v, count)
#define VLOAD_FIRST(p, count) nn_load_first_pd(p, count)
NN_AVX static inline void nn_store_first_pd(double *to, __m256d v, long count) {
  if (count >= 4) {
    _mm256_storeu_pd(to, v);
    return;
  }
  __m128d part = _mm256_castpd256_pd128(v);
  if (count >= 2) {
    _mm_storeu_pd(to, part);
    part = _mm256_extractf128_pd(v, 1);
    to += 2;
    count -= 2;
  }
  if (count >= 1) _mm_store_sd(to, part);
}
NN_AVX static inline __m256d nn_load_first_pd(const double *from, long count) {
  double lanes[4] = {0, 0, 0, 0};
  for (long i = 0; i < count; i++) lanes[i] = from[i];
  return _mm256_loadu_pd(lanes);
}
#endif
#include "nn_gemm_template.h"

void nn_sgemm(int transpose_a, int transpose_b, long m, long n, long k, float alpha,
              const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc) {
  gemm_s(transpose_a != 0, transpose_b != 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void nn_dgemm(int transpose_a, int transpose_b, long m, long n, long k, double alpha,
              const double *a, long lda, const double *b, long ldb, double beta, double *c,
              long ldc) {
  gemm_d(transpose_a != 0, transpose_b != 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
