// Matrix products: nn_sgemm and nn_dgemm, built from nn_gemm_template.h once per precision.
#include "nn_internal.h"
#include "nn_kernels.h"

// MARK: - Single precision: 6 x 16 register tile (12 ymm accumulators of 8 floats)

#define T float
#define NN_NAME(x) x##_s
#define MR 6
#define NR 16
#define KC 256
#define MC 144
#define NC 2048
#define DIRECT_MAX_WORK (48.0 * 48 * 48)
// A second thread pays only from about 2^20 multiply-adds each (~40 µs of one core's work): below that,
// waking it and waiting for it cost more than they save between the other steps of training, and a
// thread descheduled by a busy machine holds up the whole product.
// See Documentation/Performance/0003-thread-threshold.md.
#define THREAD_MIN_WORK (1024.0 * 1024)
#define PART_MIN_WORK (48.0 * 48 * 48)
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
#define VLOAD_FIRST(p, count) nn_load_first_ps(p, count)  // nn_internal.h
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
// Packs a full 16-column sliver of op(B) = Bᵀ: to[p*16 + c] = b[c*ldb + p] for p < kc, c < 16, by
// 8 x 8 blocks transposed in registers; the last kc % 8 rows element by element.
NN_AVX static void nn_pack_b_transposed_ps(long kc, const float *b, long ldb, float *to) {
  long p0 = 0;
  for (; p0 + 8 <= kc; p0 += 8) {
    for (long half = 0; half < 2; half++) {
      const float *from = b + half * 8 * ldb + p0;
      __m256 r0 = _mm256_loadu_ps(from), r1 = _mm256_loadu_ps(from + ldb);
      __m256 r2 = _mm256_loadu_ps(from + 2 * ldb), r3 = _mm256_loadu_ps(from + 3 * ldb);
      __m256 r4 = _mm256_loadu_ps(from + 4 * ldb), r5 = _mm256_loadu_ps(from + 5 * ldb);
      __m256 r6 = _mm256_loadu_ps(from + 6 * ldb), r7 = _mm256_loadu_ps(from + 7 * ldb);
      __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
      __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
      __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
      __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
      __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
      __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
      __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
      __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
      float *out = to + p0 * 16 + half * 8;
      _mm256_store_ps(out + 0 * 16, _mm256_permute2f128_ps(u0, u4, 0x20));
      _mm256_store_ps(out + 1 * 16, _mm256_permute2f128_ps(u1, u5, 0x20));
      _mm256_store_ps(out + 2 * 16, _mm256_permute2f128_ps(u2, u6, 0x20));
      _mm256_store_ps(out + 3 * 16, _mm256_permute2f128_ps(u3, u7, 0x20));
      _mm256_store_ps(out + 4 * 16, _mm256_permute2f128_ps(u0, u4, 0x31));
      _mm256_store_ps(out + 5 * 16, _mm256_permute2f128_ps(u1, u5, 0x31));
      _mm256_store_ps(out + 6 * 16, _mm256_permute2f128_ps(u2, u6, 0x31));
      _mm256_store_ps(out + 7 * 16, _mm256_permute2f128_ps(u3, u7, 0x31));
    }
  }
  for (; p0 < kc; p0++)
    for (long c = 0; c < 16; c++) to[p0 * 16 + c] = b[c * ldb + p0];
}
#define PACK_B_TRANSPOSED(kc, b, ldb, to) nn_pack_b_transposed_ps(kc, b, ldb, to)
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
#undef PART_MIN_WORK
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
#undef PACK_B_TRANSPOSED
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
#define THREAD_MIN_WORK (512.0 * 1024)
#define PART_MIN_WORK (40.0 * 40 * 40)
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
#define VLOAD_FIRST(p, count) nn_load_first_pd(p, count)  // nn_internal.h
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
// Packs a full 8-column sliver of op(B) = Bᵀ: to[p*8 + c] = b[c*ldb + p], by 4 x 4 blocks.
NN_AVX static void nn_pack_b_transposed_pd(long kc, const double *b, long ldb, double *to) {
  long p0 = 0;
  for (; p0 + 4 <= kc; p0 += 4) {
    for (long half = 0; half < 2; half++) {
      const double *from = b + half * 4 * ldb + p0;
      __m256d r0 = _mm256_loadu_pd(from), r1 = _mm256_loadu_pd(from + ldb);
      __m256d r2 = _mm256_loadu_pd(from + 2 * ldb), r3 = _mm256_loadu_pd(from + 3 * ldb);
      __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
      __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
      double *out = to + p0 * 8 + half * 4;
      _mm256_store_pd(out + 0 * 8, _mm256_permute2f128_pd(t0, t2, 0x20));
      _mm256_store_pd(out + 1 * 8, _mm256_permute2f128_pd(t1, t3, 0x20));
      _mm256_store_pd(out + 2 * 8, _mm256_permute2f128_pd(t0, t2, 0x31));
      _mm256_store_pd(out + 3 * 8, _mm256_permute2f128_pd(t1, t3, 0x31));
    }
  }
  for (; p0 < kc; p0++)
    for (long c = 0; c < 8; c++) to[p0 * 8 + c] = b[c * ldb + p0];
}
#define PACK_B_TRANSPOSED(kc, b, ldb, to) nn_pack_b_transposed_pd(kc, b, ldb, to)
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
