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
