// One precision of GEMM, C = alpha * op(A) * op(B) + beta * C; included by nn_gemm.c once for float
// and once for double, with these macros defined:
//   T, NN_NAME(x)              the scalar type and a name suffix (x_s / x_d)
//   MR, NR                     the register tile: MR rows by NR columns (NR = 2 vectors)
//   KC, MC, NC                 cache blocks: a KC x NR sliver of B stays in L1, an MC x KC block of A
//                              in L2, a KC x NC panel of B in L3
//   DIRECT_MAX_WORK            m*n*k up to which the direct path (no packing) runs
//   THREAD_MIN_WORK            m*n*k per thread below which no extra thread is used
//   PART_MIN_WORK              m*n*k below which a threaded product's parts are not split further
//   VEC, VLANES, VZERO, VSET1, VLOAD, VLOADU, VSTOREU, VBCAST, VFMA(a, b, c) = a*b + c, VMUL, VADD,
//   VSTORE_FIRST(p, v, count), VLOAD_FIRST(p, count)   the AVX2 operations (the first count lanes)
//   PACK_B_TRANSPOSED(kc, b, ldb, to)   packs a full NR-column sliver of Bᵀ with AVX2
//
// How a large product runs (Goto's algorithm, as in BLIS and OpenBLAS):
//   for each NC-wide column panel jc of C:
//     for each KC-deep slice pc of the inner dimension:
//       pack op(B)[pc, jc] into slivers of NR columns (row p of a sliver is contiguous)
//       for each MC-tall row block ic:
//         pack op(A)[ic, pc] into slivers of MR rows (column p of a sliver is contiguous)
//         for every MR x NR tile: the micro-kernel keeps the tile in registers and adds
//           Σ_p a[i, p]·b[p, j] over the KC slice with one FMA per vector, then C = alpha·acc + beta·C
//           (beta for the first slice, 1 for later ones).
// Packing reads op(A) and op(B) through their transposes, so no transposed copy is ever made.
//
// Every element of C is computed by one micro-kernel call per KC slice, with the same sequence of
// operations whichever thread runs it and however the work is split: results are bit-identical for
// every thread count.

// MARK: - Packing

// Packs rows [0, mc) and columns [0, kc) of op(A), where op(A)[i][p] is a[i*lda + p] (or a[p*lda + i]
// when transposed), into slivers of MR rows: sliver s holds op(A)[s*MR + r][p] at [s*MR*kc + p*MR + r].
// Rows past mc are zero.
static void NN_NAME(pack_a)(int ta, long mc, long kc, const T *a, long lda, T *restrict packed) {
  for (long i0 = 0; i0 < mc; i0 += MR) {
    long rows = mc - i0 < MR ? mc - i0 : MR;
    T *restrict to = packed + i0 * kc;
    if (!ta) {
      for (long r = 0; r < MR; r++) {
        if (r < rows) {
          const T *from = a + (i0 + r) * lda;
          for (long p = 0; p < kc; p++) to[p * MR + r] = from[p];
        } else {
          for (long p = 0; p < kc; p++) to[p * MR + r] = 0;
        }
      }
    } else {
      for (long p = 0; p < kc; p++) {
        const T *from = a + p * lda + i0;
        for (long r = 0; r < MR; r++) to[p * MR + r] = r < rows ? from[r] : 0;
      }
    }
  }
}

// Packs rows [0, kc) and columns [0, nc) of op(B), where op(B)[p][j] is b[p*ldb + j] (or b[j*ldb + p]
// when transposed), into slivers of NR columns: sliver s holds op(B)[p][s*NR + c] at
// [s*NR*kc + p*NR + c]. Columns past nc are zero.
static void NN_NAME(pack_b)(int tb, long kc, long nc, const T *b, long ldb, T *restrict packed,
                            int simd) {
  (void)simd;
  for (long j0 = 0; j0 < nc; j0 += NR) {
    long cols = nc - j0 < NR ? nc - j0 : NR;
    T *restrict to = packed + j0 * kc;
#if NN_X86
    if (simd && tb && cols == NR) {  // registers transpose blocks of the stored rows
      PACK_B_TRANSPOSED(kc, b + j0 * ldb, ldb, to);
      continue;
    }
#endif
    if (!tb) {
      if (cols == NR) {
        for (long p = 0; p < kc; p++)
          for (long c = 0; c < NR; c++) to[p * NR + c] = b[p * ldb + j0 + c];
      } else {
        for (long p = 0; p < kc; p++)
          for (long c = 0; c < NR; c++) to[p * NR + c] = c < cols ? b[p * ldb + j0 + c] : 0;
      }
    } else {
      for (long c = 0; c < NR; c++) {
        if (c < cols) {
          const T *from = b + (j0 + c) * ldb;
          for (long p = 0; p < kc; p++) to[p * NR + c] = from[p];
        } else {
          for (long p = 0; p < kc; p++) to[p * NR + c] = 0;
        }
      }
    }
  }
}

// MARK: - Micro-kernels

// Writes an accumulated tile into the top-left rows x cols corner of C: C = alpha·acc + beta·C, and
// C = alpha·acc when beta == 0 (C is then not read).
static void NN_NAME(store_tile)(const T *acc, long rows, long cols, T alpha, T beta, T *c,
                                long ldc) {
  for (long i = 0; i < rows; i++)
    for (long j = 0; j < cols; j++)
      c[i * ldc + j] =
        beta == 0 ? alpha * acc[i * NR + j] : alpha * acc[i * NR + j] + beta * c[i * ldc + j];
}

// The portable micro-kernel: acc[i][j] = Σ_p ap[p*MR + i]·bp[p*NR + j], then stored into C.
static void NN_NAME(micro_portable)(long kc, const T *restrict ap, const T *restrict bp, T *c,
                                    long ldc, T alpha, T beta, long rows, long cols) {
  T acc[MR * NR];
  for (long q = 0; q < MR * NR; q++) acc[q] = 0;
  for (long p = 0; p < kc; p++) {
    for (long i = 0; i < MR; i++) {
      T x = ap[i];
      for (long j = 0; j < NR; j++) acc[i * NR + j] += x * bp[j];
    }
    ap += MR;
    bp += NR;
  }
  NN_NAME(store_tile)(acc, rows, cols, alpha, beta, c, ldc);
}

#if NN_X86
// The AVX2+FMA micro-kernel: a 6 x 2-vector tile in 12 registers; per step of p, two loads of B, six
// broadcasts of A and twelve FMAs.
NN_AVX static void NN_NAME(micro_avx)(long kc, const T *restrict ap, const T *restrict bp, T *c,
                                      long ldc, T alpha, T beta, long rows, long cols) {
  VEC c00 = VZERO(), c01 = VZERO(), c10 = VZERO(), c11 = VZERO(), c20 = VZERO(), c21 = VZERO();
  VEC c30 = VZERO(), c31 = VZERO(), c40 = VZERO(), c41 = VZERO(), c50 = VZERO(), c51 = VZERO();
  for (long p = 0; p < kc; p++) {
    VEC b0 = VLOAD(bp), b1 = VLOAD(bp + VLANES), x;
    x = VBCAST(ap + 0);
    c00 = VFMA(x, b0, c00);
    c01 = VFMA(x, b1, c01);
    x = VBCAST(ap + 1);
    c10 = VFMA(x, b0, c10);
    c11 = VFMA(x, b1, c11);
    x = VBCAST(ap + 2);
    c20 = VFMA(x, b0, c20);
    c21 = VFMA(x, b1, c21);
    x = VBCAST(ap + 3);
    c30 = VFMA(x, b0, c30);
    c31 = VFMA(x, b1, c31);
    x = VBCAST(ap + 4);
    c40 = VFMA(x, b0, c40);
    c41 = VFMA(x, b1, c41);
    x = VBCAST(ap + 5);
    c50 = VFMA(x, b0, c50);
    c51 = VFMA(x, b1, c51);
    ap += MR;
    bp += NR;
  }
  if (rows == MR && cols == NR) {
    VEC va = VSET1(alpha);
#define NN_STORE_ROW(i, lo, hi)                                                       \
  if (beta == 0) {                                                                    \
    VSTOREU(c + (i) * ldc, VMUL(va, lo));                                             \
    VSTOREU(c + (i) * ldc + VLANES, VMUL(va, hi));                                    \
  } else {                                                                            \
    VEC vb = VSET1(beta);                                                             \
    VSTOREU(c + (i) * ldc, VFMA(va, lo, VMUL(vb, VLOADU(c + (i) * ldc))));            \
    VSTOREU(c + (i) * ldc + VLANES, VFMA(va, hi, VMUL(vb, VLOADU(c + (i) * ldc + VLANES)))); \
  }
    NN_STORE_ROW(0, c00, c01)
    NN_STORE_ROW(1, c10, c11)
    NN_STORE_ROW(2, c20, c21)
    NN_STORE_ROW(3, c30, c31)
    NN_STORE_ROW(4, c40, c41)
    NN_STORE_ROW(5, c50, c51)
#undef NN_STORE_ROW
  } else {
    T acc[MR * NR] __attribute__((aligned(32)));
    VSTOREU(acc + 0 * NR, c00);
    VSTOREU(acc + 0 * NR + VLANES, c01);
    VSTOREU(acc + 1 * NR, c10);
    VSTOREU(acc + 1 * NR + VLANES, c11);
    VSTOREU(acc + 2 * NR, c20);
    VSTOREU(acc + 2 * NR + VLANES, c21);
    VSTOREU(acc + 3 * NR, c30);
    VSTOREU(acc + 3 * NR + VLANES, c31);
    VSTOREU(acc + 4 * NR, c40);
    VSTOREU(acc + 4 * NR + VLANES, c41);
    VSTOREU(acc + 5 * NR, c50);
    VSTOREU(acc + 5 * NR + VLANES, c51);
    NN_NAME(store_tile)(acc, rows, cols, alpha, beta, c, ldc);
  }
}
#endif

typedef void (*NN_NAME(micro_kernel))(long kc, const T *ap, const T *bp, T *c, long ldc, T alpha,
                                      T beta, long rows, long cols);

// MARK: - The blocked product on one thread

// C[m x n] = alpha·op(A)·op(B) + beta·C with packing and cache blocking, on the calling thread.
// Returns 0 when scratch memory could not be had (the caller then takes the direct path).
static int NN_NAME(blocked)(int ta, int tb, long m, long n, long k, T alpha, const T *a, long lda,
                            const T *b, long ldb, T beta, T *c, long ldc, int simd) {
  long panel_width = n < NC ? (n + NR - 1) / NR * NR : NC;
  long block_height = m < MC ? (m + MR - 1) / MR * MR : MC;
  long depth = k < KC ? k : KC;
  size_t a_elements = (size_t)(block_height * depth + 63) / 64 * 64;
  T *packed_a = nn_thread_scratch((a_elements + (size_t)(depth * panel_width)) * sizeof(T));
  if (packed_a == NULL) return 0;
  T *packed_b = packed_a + a_elements;
  NN_NAME(micro_kernel) kernel = NN_NAME(micro_portable);
#if NN_X86
  if (simd) kernel = NN_NAME(micro_avx);
#else
  (void)simd;
#endif
  for (long jc = 0; jc < n; jc += NC) {
    long nc = n - jc < NC ? n - jc : NC;
    for (long pc = 0; pc < k; pc += KC) {
      long kc = k - pc < KC ? k - pc : KC;
      T slice_beta = pc == 0 ? beta : 1;  // later slices add to what the first one wrote
      NN_NAME(pack_b)(tb, kc, nc, tb ? b + jc * ldb + pc : b + pc * ldb + jc, ldb, packed_b, simd);
      for (long ic = 0; ic < m; ic += MC) {
        long mc = m - ic < MC ? m - ic : MC;
        NN_NAME(pack_a)(ta, mc, kc, ta ? a + pc * lda + ic : a + ic * lda + pc, lda, packed_a);
        for (long jr = 0; jr < nc; jr += NR) {
          long cols = nc - jr < NR ? nc - jr : NR;
          for (long ir = 0; ir < mc; ir += MR) {
            long rows = mc - ir < MR ? mc - ir : MR;
            kernel(kc, packed_a + ir * kc, packed_b + jr * kc, c + (ic + ir) * ldc + jc + jr, ldc,
                   alpha, slice_beta, rows, cols);
          }
        }
      }
    }
  }
  return 1;
}

// MARK: - The direct path for small products

// C[i][j] = alpha·Σ_p op(A)[i][p]·op(B)[p][j] + beta·C[i][j] with plain loops: no packing, no threads.
// Rows of C are done in chunks of up to 64 columns when op(B)'s rows are contiguous (B not
// transposed), and as dot products of contiguous rows when B is transposed.
static void NN_NAME(direct_portable)(int ta, int tb, long m, long n, long k, T alpha, const T *a,
                                     long lda, const T *b, long ldb, T beta, T *c, long ldc) {
  for (long i = 0; i < m; i++) {
    T *row = c + i * ldc;
    if (!tb) {
      for (long j0 = 0; j0 < n; j0 += 64) {
        long width = n - j0 < 64 ? n - j0 : 64;
        T acc[64];
        for (long j = 0; j < width; j++) acc[j] = 0;
        for (long p = 0; p < k; p++) {
          T x = ta ? a[p * lda + i] : a[i * lda + p];
          const T *from = b + p * ldb + j0;
          for (long j = 0; j < width; j++) acc[j] += x * from[j];
        }
        for (long j = 0; j < width; j++)
          row[j0 + j] = beta == 0 ? alpha * acc[j] : alpha * acc[j] + beta * row[j0 + j];
      }
    } else {
      for (long j = 0; j < n; j++) {
        const T *column = b + j * ldb;
        T sum = 0;
        if (!ta) {
          const T *from = a + i * lda;
          for (long p = 0; p < k; p++) sum += from[p] * column[p];
        } else {
          for (long p = 0; p < k; p++) sum += a[p * lda + i] * column[p];
        }
        row[j] = beta == 0 ? alpha * sum : alpha * sum + beta * row[j];
      }
    }
  }
}

#if NN_X86
// The AVX2+FMA direct path's kernel: C[i][j] = alpha·Σ_p A[i][p]·B[p][j] + beta·C[i][j] for i < m,
// j < n, where A[i][p] is a[i*ars + p*acs], B's rows are contiguous (B[p][j] = b[p*ldb + j]) and
// C[i][j] is c[i*crs + j*ccs]. Tiles of 4 rows by 2 vectors (8 accumulators): past the last row the
// row pointers repeat the last row (computed, not stored); the last, narrower column panel of B is
// first copied into `pad` (k x 2 vectors, zero-filled). Edge tiles and strided C are written through
// a small buffer.
NN_AVX static void NN_NAME(direct_tiles_avx)(long m, long n, long k, T alpha, const T *a, long ars,
                                             long acs, const T *b, long ldb, T beta, T *c,
                                             long crs, long ccs, T *pad) {
  const long width = 2 * VLANES;
  for (long j0 = 0; j0 < n; j0 += width) {
    long cols = n - j0 < width ? n - j0 : width;
    const T *panel = b + j0;
    long panel_stride = ldb;
    // The narrower last panel is copied into the zero-padded `pad` (masked loads are slower on AMD
    // Zen even for a short inner dimension: Documentation/Performance/0005-tails-without-masked-loads.md).
    if (cols < width) {
      for (long p = 0; p < k; p++)
        for (long j = 0; j < width; j++) pad[p * width + j] = j < cols ? b[p * ldb + j0 + j] : 0;
      panel = pad;
      panel_stride = width;
    }
    for (long i0 = 0; i0 < m; i0 += 4) {
      long rows = m - i0 < 4 ? m - i0 : 4;
      const T *a0 = a + i0 * ars;
      const T *a1 = a0 + (rows > 1 ? ars : 0), *a2 = a0 + (rows > 2 ? 2 * ars : 0);
      const T *a3 = a0 + (rows > 3 ? 3 * ars : 0);
      VEC s00 = VZERO(), s01 = VZERO(), s10 = VZERO(), s11 = VZERO();
      VEC s20 = VZERO(), s21 = VZERO(), s30 = VZERO(), s31 = VZERO();
      const T *from = panel;
#define NN_DIRECT_STEPS(LOAD0, LOAD1)                              \
  for (long p = 0; p < k; p++, from += panel_stride) {             \
    VEC b0 = LOAD0, b1 = LOAD1, x;                                 \
    x = VSET1(a0[p * acs]);                                        \
    s00 = VFMA(x, b0, s00);                                        \
    s01 = VFMA(x, b1, s01);                                        \
    x = VSET1(a1[p * acs]);                                        \
    s10 = VFMA(x, b0, s10);                                        \
    s11 = VFMA(x, b1, s11);                                        \
    x = VSET1(a2[p * acs]);                                        \
    s20 = VFMA(x, b0, s20);                                        \
    s21 = VFMA(x, b1, s21);                                        \
    x = VSET1(a3[p * acs]);                                        \
    s30 = VFMA(x, b0, s30);                                        \
    s31 = VFMA(x, b1, s31);                                        \
  }
      NN_DIRECT_STEPS(VLOADU(from), VLOADU(from + VLANES))
#undef NN_DIRECT_STEPS
      T *to = c + i0 * crs + j0 * ccs;
      if (ccs == 1) {
        // Row by row: C = alpha·acc + beta·C on the first `cols` lanes, stored from registers.
        VEC va = VSET1(alpha), vb = VSET1(beta);
        long low = cols < VLANES ? cols : VLANES, high = cols - low;
#define NN_DIRECT_ROW(r, lo, hi)                                                          \
  if ((r) < rows) {                                                                       \
    T *row = to + (r) * crs;                                                              \
    VEC x = VMUL(va, lo), y = VMUL(va, hi);                                               \
    if (cols == width) {                                                                  \
      if (beta != 0) {                                                                    \
        x = VFMA(vb, VLOADU(row), x);                                                     \
        y = VFMA(vb, VLOADU(row + VLANES), y);                                            \
      }                                                                                   \
      VSTOREU(row, x);                                                                    \
      VSTOREU(row + VLANES, y);                                                           \
    } else {                                                                              \
      if (beta != 0) {                                                                    \
        x = VFMA(vb, VLOAD_FIRST(row, low), x);                                           \
        y = VFMA(vb, VLOAD_FIRST(row + VLANES, high), y);                                 \
      }                                                                                   \
      VSTORE_FIRST(row, x, low);                                                          \
      if (high > 0) VSTORE_FIRST(row + VLANES, y, high);                                  \
    }                                                                                     \
  }
        NN_DIRECT_ROW(0, s00, s01)
        NN_DIRECT_ROW(1, s10, s11)
        NN_DIRECT_ROW(2, s20, s21)
        NN_DIRECT_ROW(3, s30, s31)
#undef NN_DIRECT_ROW
      } else {
        T tile[4 * 2 * VLANES] __attribute__((aligned(32)));
        VSTOREU(tile, s00);
        VSTOREU(tile + VLANES, s01);
        VSTOREU(tile + 2 * VLANES, s10);
        VSTOREU(tile + 3 * VLANES, s11);
        VSTOREU(tile + 4 * VLANES, s20);
        VSTOREU(tile + 5 * VLANES, s21);
        VSTOREU(tile + 6 * VLANES, s30);
        VSTOREU(tile + 7 * VLANES, s31);
        for (long r = 0; r < rows; r++)
          for (long j = 0; j < cols; j++) {
            T *element = to + r * crs + j * ccs;
            T value = alpha * tile[r * width + j];
            *element = beta == 0 ? value : value + beta * *element;
          }
      }
    }
  }
}

// Whole-vector masks and 128-bit quads for the direct path's dot products and partial rows; first
// lanes of a vector are read with VLOAD_FIRST (nn_internal.h's 4-, 2-, 1-lane loads).
#if VLANES == 8
// All bits set in lanes [0, count), clear in the others; DIRECT_AND(a, b) the bitwise and.
#define DIRECT_LANE_MASK(count)                                                              \
  _mm256_castsi256_ps(                                                                       \
      _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(count)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)))
#define DIRECT_AND(a, b) _mm256_and_ps(a, b)
// Four sums side by side (one per row of a block of four): the lanes of s0..s3 added horizontally.
#define QUAD __m128
#define QSUM4(s0, s1, s2, s3) nn_direct_sum4_ps(s0, s1, s2, s3)
#define QSET1(x) _mm_set1_ps(x)
#define QMUL(a, b) _mm_mul_ps(a, b)
#define QFMA(a, b, c) _mm_fmadd_ps(a, b, c)
#define QLOADU(p) _mm_loadu_ps(p)
#define QSTOREU(p, v) _mm_storeu_ps(p, v)
NN_AVX static inline __m128 nn_direct_sum4_ps(__m256 s0, __m256 s1, __m256 s2, __m256 s3) {
  __m256 pairs = _mm256_hadd_ps(_mm256_hadd_ps(s0, s1), _mm256_hadd_ps(s2, s3));
  return _mm_add_ps(_mm256_castps256_ps128(pairs), _mm256_extractf128_ps(pairs, 1));
}
#else
#define DIRECT_LANE_MASK(count) \
  _mm256_castsi256_pd(_mm256_cmpgt_epi64(_mm256_set1_epi64x(count), _mm256_setr_epi64x(0, 1, 2, 3)))
#define DIRECT_AND(a, b) _mm256_and_pd(a, b)
#define QUAD __m256d
#define QSUM4(s0, s1, s2, s3) nn_direct_sum4_pd(s0, s1, s2, s3)
#define QSET1(x) _mm256_set1_pd(x)
#define QMUL(a, b) _mm256_mul_pd(a, b)
#define QFMA(a, b, c) _mm256_fmadd_pd(a, b, c)
#define QLOADU(p) _mm256_loadu_pd(p)
#define QSTOREU(p, v) _mm256_storeu_pd(p, v)
NN_AVX static inline __m256d nn_direct_sum4_pd(__m256d s0, __m256d s1, __m256d s2, __m256d s3) {
  // 128-bit extracts and inserts rather than vperm2f128, which is slow on AMD Zen.
  __m256d low = _mm256_hadd_pd(s0, s1), high = _mm256_hadd_pd(s2, s3);
  __m128d first = _mm_add_pd(_mm256_castpd256_pd128(low), _mm256_extractf128_pd(low, 1));
  __m128d second = _mm_add_pd(_mm256_castpd256_pd128(high), _mm256_extractf128_pd(high, 1));
  return _mm256_insertf128_pd(_mm256_castpd128_pd256(first), second, 1);
}
#endif

// Matrix-vector products for the direct path: y[i*ys] = alpha·Σ_p x_i[p]·v[p] + beta·y[i*ys] for
// i < m, where row x_i starts at a + i*ars and both x_i and v are contiguous in p. Eight rows at a
// time (eight independent dependency chains), each a vector of partial sums over p: whole vectors,
// then the last p (fewer than VLANES) as the first lanes of one more vector. The rows' lanes are
// added by horizontal additions into two short vectors of four sums, and alpha·sum + beta·y is done
// on them at once when y is contiguous. Past the last row the row pointers repeat the last row
// (computed, not stored). Fewer rows per block leave the blocks' latency (the horizontal additions)
// exposed: measured, 4 rows at a time take about 1.4 times as long for short rows.
// One block of direct_dots_avx: rows x[0..7]. With `masked_tail` (a constant where it is inlined) the
// last p are read as a whole vector and the lanes past k cleared with `tail_mask`, which the caller
// allows only where the read stays inside A; else they are read with VLOAD_FIRST.
NN_AVX static inline __attribute__((always_inline)) void NN_NAME(dots_block)(
    const T *const *x, long whole, long rest, const T *v, VEC vtail, VEC tail_mask, QUAD qa,
    QUAD qb, T beta, T *to, long ys, long rows, const int masked_tail) {
  VEC s0 = VZERO(), s1 = VZERO(), s2 = VZERO(), s3 = VZERO();
  VEC s4 = VZERO(), s5 = VZERO(), s6 = VZERO(), s7 = VZERO();
  for (long p = 0; p < whole; p += VLANES) {
    VEC w = VLOADU(v + p);
    s0 = VFMA(VLOADU(x[0] + p), w, s0);
    s1 = VFMA(VLOADU(x[1] + p), w, s1);
    s2 = VFMA(VLOADU(x[2] + p), w, s2);
    s3 = VFMA(VLOADU(x[3] + p), w, s3);
    s4 = VFMA(VLOADU(x[4] + p), w, s4);
    s5 = VFMA(VLOADU(x[5] + p), w, s5);
    s6 = VFMA(VLOADU(x[6] + p), w, s6);
    s7 = VFMA(VLOADU(x[7] + p), w, s7);
  }
  if (rest > 0) {
#define NN_TAIL(r) \
  (masked_tail ? DIRECT_AND(VLOADU(x[r] + whole), tail_mask) : VLOAD_FIRST(x[r] + whole, rest))
    s0 = VFMA(NN_TAIL(0), vtail, s0);
    s1 = VFMA(NN_TAIL(1), vtail, s1);
    s2 = VFMA(NN_TAIL(2), vtail, s2);
    s3 = VFMA(NN_TAIL(3), vtail, s3);
    s4 = VFMA(NN_TAIL(4), vtail, s4);
    s5 = VFMA(NN_TAIL(5), vtail, s5);
    s6 = VFMA(NN_TAIL(6), vtail, s6);
    s7 = VFMA(NN_TAIL(7), vtail, s7);
#undef NN_TAIL
  }
  QUAD low = QMUL(qa, QSUM4(s0, s1, s2, s3)), high = QMUL(qa, QSUM4(s4, s5, s6, s7));
  if (rows == 8 && ys == 1) {
    if (beta != 0) {
      low = QFMA(qb, QLOADU(to), low);
      high = QFMA(qb, QLOADU(to + 4), high);
    }
    QSTOREU(to, low);
    QSTOREU(to + 4, high);
  } else {
    T lanes[8];
    QSTOREU(lanes, low);
    QSTOREU(lanes + 4, high);
    for (long r = 0; r < rows; r++)
      to[r * ys] = beta == 0 ? lanes[r] : lanes[r] + beta * to[r * ys];
  }
}

NN_AVX static void NN_NAME(direct_dots_avx)(long m, long k, T alpha, const T *a, long ars,
                                            const T *v, T beta, T *y, long ys) {
  const long whole = k / VLANES * VLANES, rest = k - whole;
  const VEC vtail = VLOAD_FIRST(v + whole, rest);
  const VEC tail_mask = DIRECT_LANE_MASK(rest);
  const QUAD qa = QSET1(alpha), qb = QSET1(beta);
  // Row i's last vector ends at element i*k + whole + VLANES of a contiguous A (ars == k) of m*k.
  const long whole_rows = ars == k ? nn_rows_within(m, k, whole + VLANES, m * k) : 0;
  for (long i0 = 0; i0 < m; i0 += 8) {
    long rows = m - i0 < 8 ? m - i0 : 8;
    const T *x[8];
    x[0] = a + i0 * ars;
    for (long r = 1; r < 8; r++) x[r] = r < rows ? x[r - 1] + ars : x[r - 1];
    // The block reads its rows' last vectors whole if its 8th row, i0 + 7, may (a short block: no).
    if (i0 + 7 < whole_rows)
      NN_NAME(dots_block)(x, whole, rest, v, vtail, tail_mask, qa, qb, beta, y + i0 * ys, ys, rows, 1);
    else
      NN_NAME(dots_block)(x, whole, rest, v, vtail, tail_mask, qa, qb, beta, y + i0 * ys, ys, rows, 0);
  }
}

// One panel of direct_row_avx: `vectors` (1 to 3, a constant where it is inlined) vectors of columns
// starting at column j0, the last of which holds `last` columns (1 to VLANES). Rows p < whole_rows of B
// may be read as whole vectors even past the panel's last column (the reads stay inside B, and the
// extra lanes are dropped); later rows read only the panel's columns.
NN_AVX static inline __attribute__((always_inline)) void NN_NAME(row_panel)(
    long k, T alpha, const T *x, long xs, const T *b, long ldb, T beta, T *c, long cs,
    const int vectors, long last, long whole_rows) {
  VEC s[4][3];
  for (int q = 0; q < 4; q++)
    for (int v = 0; v < 3; v++) s[q][v] = VZERO();
  // Step p adds x[p]·B[p][j] to partial sum p mod 4 (chain q); `checked` reads B's row p as whole
  // vectors only where p < whole_rows.
#define NN_ROW_STEP(q, p, checked)                                                    \
  {                                                                                   \
    const T *from = b + (p) * ldb;                                                    \
    VEC xp = VSET1(x[(p) * xs]);                                                      \
    for (int v = 0; v < vectors - 1; v++)                                             \
      s[q][v] = VFMA(xp, VLOADU(from + v * VLANES), s[q][v]);                         \
    const T *end = from + (vectors - 1) * VLANES;                                     \
    VEC tail = !(checked) || (p) < whole_rows ? VLOADU(end) : VLOAD_FIRST(end, last); \
    s[q][vectors - 1] = VFMA(xp, tail, s[q][vectors - 1]);                            \
  }
  long p = 0;
  for (; p + 4 <= whole_rows && p + 4 <= k; p += 4) {
    NN_ROW_STEP(0, p, 0)
    NN_ROW_STEP(1, p + 1, 0)
    NN_ROW_STEP(2, p + 2, 0)
    NN_ROW_STEP(3, p + 3, 0)
  }
  for (; p + 4 <= k; p += 4) {
    NN_ROW_STEP(0, p, 1)
    NN_ROW_STEP(1, p + 1, 1)
    NN_ROW_STEP(2, p + 2, 1)
    NN_ROW_STEP(3, p + 3, 1)
  }
  for (; p < k; p++) NN_ROW_STEP(0, p, 1)
#undef NN_ROW_STEP
  const VEC va = VSET1(alpha), vb = VSET1(beta);
  for (int v = 0; v < vectors; v++) {
    VEC value = VMUL(va, VADD(VADD(s[0][v], s[1][v]), VADD(s[2][v], s[3][v])));
    long count = v < vectors - 1 ? VLANES : last;
    T *to = c + v * VLANES * cs;
    if (cs == 1) {
      if (beta != 0) value = VFMA(vb, VLOAD_FIRST(to, count), value);
      VSTORE_FIRST(to, value, count);
    } else {
      T lanes[VLANES] __attribute__((aligned(32)));
      VSTOREU(lanes, value);
      for (long j = 0; j < count; j++)
        to[j * cs] = beta == 0 ? lanes[j] : lanes[j] + beta * to[j * cs];
    }
  }
}

// One row of output for the direct path: c[j*cs] = alpha·Σ_p x[p*xs]·B[p][j] + beta·c[j*cs] for j < n,
// with B's rows contiguous (B[p][j] = b[p*ldb + j]). Four partial sums over p (p mod 4) per vector
// keep four independent dependency chains. Panels of 2 vectors of columns, and the last 1 to 3
// vectors as one panel, so each x[p] is broadcast once for them; the last vector's columns past n are
// read only where the read stays inside B (B contiguous, ldb == n), else with VLOAD_FIRST.
NN_AVX static void NN_NAME(direct_row_avx)(long n, long k, T alpha, const T *x, long xs,
                                           const T *b, long ldb, T beta, T *c, long cs) {
  long j0 = 0;
  for (; n - j0 > 3 * VLANES; j0 += 2 * VLANES)
    NN_NAME(row_panel)(k, alpha, x, xs, b + j0, ldb, beta, c + j0 * cs, cs, 2, VLANES, k);
  long rest = n - j0, vectors = (rest + VLANES - 1) / VLANES, last = rest - (vectors - 1) * VLANES;
  long whole_rows = k;
  if (last < VLANES)  // row p's last vector ends at element p*n + j0 + vectors*VLANES of B's k*n
    whole_rows = ldb != n ? 0 : nn_rows_within(k, n, j0 + vectors * VLANES, k * n);
  if (vectors == 1)
    NN_NAME(row_panel)(k, alpha, x, xs, b + j0, ldb, beta, c + j0 * cs, cs, 1, last, whole_rows);
  else if (vectors == 2)
    NN_NAME(row_panel)(k, alpha, x, xs, b + j0, ldb, beta, c + j0 * cs, cs, 2, last, whole_rows);
  else
    NN_NAME(row_panel)(k, alpha, x, xs, b + j0, ldb, beta, c + j0 * cs, cs, 3, last, whole_rows);
}

// Whether C = A·Bᵀ has few columns (at most 16: a classifier's output layer) and an inner dimension
// of at least two vectors, so it is done as dot products of A's rows with B's rows, both contiguous:
// nothing is copied, and no column is padded to a full register tile.
static inline int NN_NAME(as_dot_products)(int ta, int tb, long n, long k) {
  return !ta && tb && n <= 16 && k >= 2 * VLANES;
}

// The rows of direct_outer_avx for one choice of `scaled` (alpha != 1; multiplying by 1 is skipped,
// the same bits) and `accumulate` (beta != 0), both constants where it is inlined, so the loop tests
// neither. B's last columns (fewer than a vector) are read once into the first lanes of a vector;
// each row's last columns are then computed as one vector and stored with 4-, 2- and 1-lane stores
// (masked stores are slow on AMD Zen).
NN_AVX static inline __attribute__((always_inline)) void NN_NAME(outer_rows)(
    long m, long n, T alpha, const T *a, long ars, const T *b, T beta, T *c, long ldc,
    const int scaled, const int accumulate) {
  const VEC va = VSET1(alpha), vb = VSET1(beta);
  const long whole = n / VLANES * VLANES, rest = n - whole;
  const VEC btail = VLOAD_FIRST(b + whole, rest);
  for (long i = 0; i < m; i++) {
    VEC vx = VSET1(a[i * ars]);
    T *row = c + i * ldc;
    for (long j = 0; j < whole; j += VLANES) {
      VEC value = VMUL(vx, VLOADU(b + j));
      if (scaled) value = VMUL(va, value);
      if (accumulate) value = VFMA(vb, VLOADU(row + j), value);
      VSTOREU(row + j, value);
    }
    if (rest > 0) {
      VEC value = VMUL(vx, btail);
      if (scaled) value = VMUL(va, value);
      if (accumulate) value = VFMA(vb, VLOAD_FIRST(row + whole, rest), value);
      VSTORE_FIRST(row + whole, value, rest);
    }
  }
}

// The first `rows` rows of C = a·bᵀ with C's rows back to back (ldc == n) and `vectors` vectors per
// row (a constant where inlined), B's row already in `bv` (the last vector zero-padded). Each row's
// last vector is stored whole: its lanes past the row's end fall on the next row's first elements,
// which that row overwrites when it is stored after it, so no row needs a partial store (the caller
// keeps the overflow of the last rows inside C). Same bits as outer_rows with alpha = 1, beta = 0.
NN_AVX static inline __attribute__((always_inline)) void NN_NAME(outer_rows_overlapping)(
    long rows, long n, const T *a, long ars, const VEC *bv, T *c, const int vectors) {
  for (long i = 0; i < rows; i++) {
    VEC vx = VSET1(a[i * ars]);
    _Pragma("clang loop unroll(full)") for (int q = 0; q < vectors; q++)
      VSTOREU(c + i * n + q * VLANES, VMUL(vx, bv[q]));
  }
}

// C = a·bᵀ (alpha 1, beta 0) for rows of up to 4 vectors with a tail, stored back to back; returns
// the number of rows done (those whose last vector, stored whole, ends inside C). Storing whole
// vectors takes W1's 100 x 20 product from ~14 to ~6 cycles per row (the 4-, 2-, 1-lane tail stores
// and their branches were most of it).
NN_AVX static long NN_NAME(outer_overlapping_avx)(long m, long n, const T *a, long ars,
                                                   const T *b, T *c) {
  const long whole = n / VLANES * VLANES, vectors = whole / VLANES + 1;
  if (n == whole || vectors > 4) return 0;
  // Row i's last vector, stored whole, ends at element i·n + whole + VLANES of C's m·n.
  const long rows = nn_rows_within(m, n, whole + VLANES, m * n);
  if (rows == 0) return 0;
  VEC bv[4];
  for (long q = 0; q + 1 < vectors; q++) bv[q] = VLOADU(b + q * VLANES);
  bv[vectors - 1] = VLOAD_FIRST(b + whole, n - whole);
  switch (vectors) {
    case 1: NN_NAME(outer_rows_overlapping)(rows, n, a, ars, bv, c, 1); break;
    case 2: NN_NAME(outer_rows_overlapping)(rows, n, a, ars, bv, c, 2); break;
    case 3: NN_NAME(outer_rows_overlapping)(rows, n, a, ars, bv, c, 3); break;
    default: NN_NAME(outer_rows_overlapping)(rows, n, a, ars, bv, c, 4); break;
  }
  return rows;
}

// A rank-1 product (k == 1) for the direct path: C[i][j] = alpha·(a_i·b_j) + beta·C[i][j], with
// a_i = a[i*ars] and op(B)'s single row contiguous (b_j = b[j]). The first tutorial's 1-input layer
// (Z = X·Wᵀ with one feature) and the gradient handed back through a 1-unit output layer are such
// products; as tiles they would cost about six times the instructions (one step per tile). Rows
// stored back to back take outer_overlapping_avx as far as it goes, the rest outer_rows.
NN_AVX static void NN_NAME(direct_outer_avx)(long m, long n, T alpha, const T *a, long ars,
                                             const T *b, T beta, T *c, long ldc) {
  if (alpha == 1 && beta == 0 && ldc == n) {
    long done = NN_NAME(outer_overlapping_avx)(m, n, a, ars, b, c);
    m -= done;
    a += done * ars;
    c += done * ldc;
  }
  if (alpha == 1) {
    if (beta == 0)
      NN_NAME(outer_rows)(m, n, alpha, a, ars, b, beta, c, ldc, 0, 0);
    else
      NN_NAME(outer_rows)(m, n, alpha, a, ars, b, beta, c, ldc, 0, 1);
  } else {
    if (beta == 0)
      NN_NAME(outer_rows)(m, n, alpha, a, ars, b, beta, c, ldc, 1, 0);
    else
      NN_NAME(outer_rows)(m, n, alpha, a, ars, b, beta, c, ldc, 1, 1);
  }
}

// The AVX2+FMA direct path. The tile kernel needs one operand's rows contiguous along the output's
// columns; it computes C itself when op(B)'s rows are (B not transposed), or Cᵀ = op(B)ᵀ·op(A)ᵀ when
// op(A)ᵀ's rows are (A transposed), picking the longer vector axis when both are. For A·Bᵀ neither is,
// and the smaller operand is first copied transposed into scratch memory.
NN_AVX static void NN_NAME(direct_avx)(int ta, int tb, long m, long n, long k, T alpha, const T *a,
                                       long lda, const T *b, long ldb, T beta, T *c, long ldc) {
  long ars = ta ? 1 : lda, acs = ta ? lda : 1;  // op(A)[i][p] = a[i*ars + p*acs]
  long brs = tb ? 1 : ldb, bcs = tb ? ldb : 1;  // op(B)[p][j] = b[p*brs + j*bcs]
  if (k == 1 && (bcs == 1 || n == 1)) {  // one outer product: C = alpha·a·bᵀ + beta·C
    NN_NAME(direct_outer_avx)(m, n, alpha, a, ars, b, beta, c, ldc);
    return;
  }
  if (NN_NAME(as_dot_products)(ta, tb, n, k)) {  // C's column j: A's rows · B's row j
    for (long j = 0; j < n; j++)
      NN_NAME(direct_dots_avx)(m, k, alpha, a, lda, b + j * ldb, beta, c + j, ldc);
    return;
  }
  if (n == 1 && acs == 1 && brs == 1) {
    // C's single column: dot products of op(A)'s rows with op(B)'s column, both contiguous.
    NN_NAME(direct_dots_avx)(m, k, alpha, a, ars, b, beta, c, ldc);
    return;
  }
  if (m == 1 && acs == 1 && brs == 1) {
    // C's single row: dot products of op(B)'s columns with op(A)'s row, both contiguous.
    NN_NAME(direct_dots_avx)(n, k, alpha, b, bcs, a, beta, c, 1);
    return;
  }
  if (m == 1 && bcs == 1) {  // C's single row from op(B)'s contiguous rows
    NN_NAME(direct_row_avx)(n, k, alpha, a, acs, b, brs, beta, c, 1);
    return;
  }
  if (n == 1 && ta) {  // C's single column as Cᵀ's row, from op(A)ᵀ's contiguous rows
    NN_NAME(direct_row_avx)(m, k, alpha, b, brs, a, lda, beta, c, ldc);
    return;
  }
  // Scratch: the padded last column panel (k x 2 vectors), then room for a transposed copy.
  size_t pad_elements = (size_t)(k * 2 * VLANES);
  size_t copy_elements = !ta && tb ? (size_t)(k * (n < m ? n : m)) : 0;
  T *pad = nn_thread_scratch((pad_elements + copy_elements) * sizeof(T));
  T *copy = pad + pad_elements;
  if (pad == NULL) {
    NN_NAME(direct_portable)(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else if (!tb && !(ta && m > n)) {
    NN_NAME(direct_tiles_avx)(m, n, k, alpha, a, ars, acs, b, ldb, beta, c, ldc, 1, pad);
  } else if (ta) {
    // Cᵀ[j][i] = Σ_p op(B)ᵀ[j][p]·op(A)ᵀ[p][i], with op(A)ᵀ[p][i] = a[p*lda + i].
    NN_NAME(direct_tiles_avx)(n, m, k, alpha, b, bcs, brs, a, lda, beta, c, 1, ldc, pad);
  } else {
    if (n <= m) {  // copy op(B) = Bᵀ as k x n rows
      for (long p = 0; p < k; p++)
        for (long j = 0; j < n; j++) copy[p * n + j] = b[j * ldb + p];
      NN_NAME(direct_tiles_avx)(m, n, k, alpha, a, ars, acs, copy, n, beta, c, ldc, 1, pad);
    } else {  // copy op(A)ᵀ = Aᵀ as k x m rows and compute Cᵀ
      for (long p = 0; p < k; p++)
        for (long i = 0; i < m; i++) copy[p * m + i] = a[i * lda + p];
      NN_NAME(direct_tiles_avx)(n, m, k, alpha, b, bcs, brs, copy, m, beta, c, 1, ldc, pad);
    }
  }
}
#undef DIRECT_LANE_MASK
#undef DIRECT_AND
#undef QUAD
#undef QSUM4
#undef QSET1
#undef QMUL
#undef QFMA
#undef QLOADU
#undef QSTOREU
#endif

// MARK: - Entry point

typedef struct {
  int ta, tb;
  long m, n, k;
  T alpha, beta;
  const T *a, *b;
  long lda, ldb, ldc;
  T *c;
  int simd, split_columns;
} NN_NAME(gemm_job);

// Part `part` of `parts` of a threaded product: a stripe of whole NR-wide column slivers (or MR-tall
// row slivers) of C, computed with its own packing.
static void NN_NAME(gemm_part)(void *context, int part, int parts) {
  const NN_NAME(gemm_job) *job = context;
  long unit = job->split_columns ? NR : MR;
  long extent = job->split_columns ? job->n : job->m;
  long units = (extent + unit - 1) / unit;
  long first = units * part / parts * unit, last = units * (part + 1) / parts * unit;
  if (last > extent) last = extent;
  if (first >= last) return;
  const T *a = job->a, *b = job->b;
  T *c = job->c;
  long m = job->m, n = job->n;
  if (job->split_columns) {
    b += job->tb ? first * job->ldb : first;
    c += first;
    n = last - first;
  } else {
    a += job->ta ? first : first * job->lda;
    c += first * job->ldc;
    m = last - first;
  }
  if (!NN_NAME(blocked)(job->ta, job->tb, m, n, job->k, job->alpha, a, job->lda, b, job->ldb,
                        job->beta, c, job->ldc, job->simd))
    NN_NAME(direct_portable)(job->ta, job->tb, m, n, job->k, job->alpha, a, job->lda, b, job->ldb,
                             job->beta, c, job->ldc);
}

static void NN_NAME(gemm)(int ta, int tb, long m, long n, long k, T alpha, const T *a, long lda,
                          const T *b, long ldb, T beta, T *c, long ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) {  // C = beta·C; with beta == 0, C is overwritten without being read
    for (long i = 0; i < m; i++)
      for (long j = 0; j < n; j++) c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j];
    return;
  }
  int simd = nn_simd_active();
  double work = (double)m * (double)n * (double)k;
  // Dot products serve A·Bᵀ with few columns at any size a single thread takes.
  int few_columns = 0;
#if NN_X86
  few_columns = simd && NN_NAME(as_dot_products)(ta, tb, n, k) && work < 2 * THREAD_MIN_WORK;
#endif
  if (work <= DIRECT_MAX_WORK || few_columns) {
#if NN_X86
    if (simd) {
      NN_NAME(direct_avx)(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
#endif
    NN_NAME(direct_portable)(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  NN_NAME(gemm_job) job = {ta, tb, m, n, k, alpha, beta, a, b, lda, ldb, ldc, c, simd, 0};
  long column_units = (n + NR - 1) / NR, row_units = (m + MR - 1) / MR;
  job.split_columns = column_units >= row_units;
  long units = job.split_columns ? column_units : row_units;
  long threads = nn_thread_count();
  long parts = threads;
  if (parts > units) parts = units;
  if (parts > work / THREAD_MIN_WORK) parts = (long)(work / THREAD_MIN_WORK);
  if (parts < 1) parts = 1;
  // Up to 4 parts per thread, each at least 6 slivers wide: threads claim parts as they come free,
  // so a thread the system deschedules holds up only a small part (each part repacks its share of the
  // other operand, which costs about 1/width of the part's work).
  while (parts > 1 && parts < 4 * threads && units / (2 * parts) >= 6 &&
         work / (2 * parts) >= PART_MIN_WORK)
    parts *= 2;
  nn_parallel_run((int)parts, NN_NAME(gemm_part), &job);
}
