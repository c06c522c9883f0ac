// One precision of GEMM, C = alpha * op(A) * op(B) + beta * C; included by nn_gemm.c once for float
// and once for double, with these macros defined:
//   T, NN_NAME(x)              the scalar type and a name suffix (x_s / x_d)
//   MR, NR                     the register tile: MR rows by NR columns (NR = 2 vectors)
//   KC, MC, NC                 cache blocks: a KC x NR sliver of B stays in L1, an MC x KC block of A
//                              in L2, a KC x NC panel of B in L3
//   DIRECT_MAX_WORK            m*n*k up to which the direct path (no packing) runs
//   THREAD_MIN_WORK            m*n*k per thread below which no extra thread is used
//   VEC, VLANES, VZERO, VSET1, VLOAD, VLOADU, VSTOREU, VBCAST, VFMA(a, b, c) = a*b + c, VMUL,
//   VMASK, VMASK_FOR(remaining), VMASKLOAD, VMASKSTORE, VHSUM   the AVX2 vector operations
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
static void NN_NAME(pack_b)(int tb, long kc, long nc, const T *b, long ldb, T *restrict packed) {
  for (long j0 = 0; j0 < nc; j0 += NR) {
    long cols = nc - j0 < NR ? nc - j0 : NR;
    T *restrict to = packed + j0 * kc;
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
      NN_NAME(pack_b)(tb, kc, nc, tb ? b + jc * ldb + pc : b + pc * ldb + jc, ldb, packed_b);
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
// C = alpha·acc + beta·C for one vector of a row (the lanes of `mask` only).
NN_AVX static inline void NN_NAME(direct_store)(T *to, VEC acc, VMASK mask, int full, T alpha,
                                                 T beta) {
  VEC value = VMUL(VSET1(alpha), acc);
  if (beta != 0) value = VFMA(VSET1(beta), full ? VLOADU(to) : VMASKLOAD(to, mask), value);
  if (full)
    VSTOREU(to, value);
  else
    VMASKSTORE(to, mask, value);
}

// The AVX2+FMA direct path, the same loops as direct_portable with 4-vector row chunks (B not
// transposed) or 4 dot products at a time (B transposed, A not).
NN_AVX static void NN_NAME(direct_avx)(int ta, int tb, long m, long n, long k, T alpha, const T *a,
                                       long lda, const T *b, long ldb, T beta, T *c, long ldc) {
  if (tb && ta) {
    NN_NAME(direct_portable)(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  for (long i = 0; i < m; i++) {
    T *row = c + i * ldc;
    if (!tb) {
      const long chunk = 4 * VLANES;
      long j0 = 0;
      for (; j0 + chunk <= n; j0 += chunk) {
        VEC s0 = VZERO(), s1 = VZERO(), s2 = VZERO(), s3 = VZERO();
        const T *from = b + j0;
        for (long p = 0; p < k; p++, from += ldb) {
          VEC x = VSET1(ta ? a[p * lda + i] : a[i * lda + p]);
          s0 = VFMA(x, VLOADU(from), s0);
          s1 = VFMA(x, VLOADU(from + VLANES), s1);
          s2 = VFMA(x, VLOADU(from + 2 * VLANES), s2);
          s3 = VFMA(x, VLOADU(from + 3 * VLANES), s3);
        }
        VMASK all = VMASK_FOR(VLANES);
        NN_NAME(direct_store)(row + j0, s0, all, 1, alpha, beta);
        NN_NAME(direct_store)(row + j0 + VLANES, s1, all, 1, alpha, beta);
        NN_NAME(direct_store)(row + j0 + 2 * VLANES, s2, all, 1, alpha, beta);
        NN_NAME(direct_store)(row + j0 + 3 * VLANES, s3, all, 1, alpha, beta);
      }
      for (; j0 < n; j0 += VLANES) {
        long width = n - j0 < VLANES ? n - j0 : VLANES;
        int full = width == VLANES;
        VMASK mask = VMASK_FOR(width);
        VEC s = VZERO();
        const T *from = b + j0;
        for (long p = 0; p < k; p++, from += ldb) {
          VEC x = VSET1(ta ? a[p * lda + i] : a[i * lda + p]);
          s = VFMA(x, full ? VLOADU(from) : VMASKLOAD(from, mask), s);
        }
        NN_NAME(direct_store)(row + j0, s, mask, full, alpha, beta);
      }
    } else {
      const T *from = a + i * lda;
      long whole = k / VLANES * VLANES;
      VMASK tail = VMASK_FOR(k - whole);
      long j = 0;
      for (; j + 4 <= n; j += 4) {
        const T *b0 = b + j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
        VEC s0 = VZERO(), s1 = VZERO(), s2 = VZERO(), s3 = VZERO();
        long p = 0;
        for (; p < whole; p += VLANES) {
          VEC x = VLOADU(from + p);
          s0 = VFMA(x, VLOADU(b0 + p), s0);
          s1 = VFMA(x, VLOADU(b1 + p), s1);
          s2 = VFMA(x, VLOADU(b2 + p), s2);
          s3 = VFMA(x, VLOADU(b3 + p), s3);
        }
        if (p < k) {
          VEC x = VMASKLOAD(from + p, tail);
          s0 = VFMA(x, VMASKLOAD(b0 + p, tail), s0);
          s1 = VFMA(x, VMASKLOAD(b1 + p, tail), s1);
          s2 = VFMA(x, VMASKLOAD(b2 + p, tail), s2);
          s3 = VFMA(x, VMASKLOAD(b3 + p, tail), s3);
        }
        T sums[4] = {VHSUM(s0), VHSUM(s1), VHSUM(s2), VHSUM(s3)};
        for (int q = 0; q < 4; q++)
          row[j + q] = beta == 0 ? alpha * sums[q] : alpha * sums[q] + beta * row[j + q];
      }
      for (; j < n; j++) {
        const T *b0 = b + j * ldb;
        VEC s0 = VZERO();
        long p = 0;
        for (; p < whole; p += VLANES) s0 = VFMA(VLOADU(from + p), VLOADU(b0 + p), s0);
        if (p < k) s0 = VFMA(VMASKLOAD(from + p, tail), VMASKLOAD(b0 + p, tail), s0);
        T sum = VHSUM(s0);
        row[j] = beta == 0 ? alpha * sum : alpha * sum + beta * row[j];
      }
    }
  }
}
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
  if (work <= DIRECT_MAX_WORK) {
    // A transposed B with a short inner dimension: copy it (it is small) so the rows are contiguous.
    T copy[1024];
    if (tb && k * n <= 1024 && (ta || k < 8)) {
      for (long p = 0; p < k; p++)
        for (long j = 0; j < n; j++) copy[p * n + j] = b[j * ldb + p];
      b = copy;
      ldb = n;
      tb = 0;
    }
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
  long parts = nn_thread_count();
  if (parts > units) parts = units;
  if (parts > work / THREAD_MIN_WORK) parts = (long)(work / THREAD_MIN_WORK);
  if (parts < 1) parts = 1;
  nn_parallel_run((int)parts, NN_NAME(gemm_part), &job);
}
