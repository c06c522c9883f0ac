// Internal declarations shared by the kernel files (not part of the public contract).
#ifndef NN_INTERNAL_H
#define NN_INTERNAL_H

#include <stddef.h>

#if defined(__x86_64__) || defined(__i386__)
#define NN_X86 1
#else
#define NN_X86 0
#endif

#if NN_X86
#include <immintrin.h>
// Marks a function compiled for AVX2+FMA; it runs only where nn_simd_active() says so.
#define NN_AVX __attribute__((target("avx2,fma")))

// Lanes [0, count) of `from` (0 ≤ count ≤ the lane count), zero in the others, without touching the
// memory behind them: 4-, 2- and 1-lane loads. Masked loads (vmaskmov) would do the same, but are
// about ten times slower on AMD Zen: see Documentation/Performance/0005-tails-without-masked-loads.md.
NN_AVX static inline __m128 nn_load_first4_ps(const float *from, long count) {
  if (count >= 3)
    return _mm_movelh_ps(_mm_castpd_ps(_mm_load_sd((const double *)from)), _mm_load_ss(from + 2));
  if (count == 2) return _mm_castpd_ps(_mm_load_sd((const double *)from));
  if (count == 1) return _mm_load_ss(from);
  return _mm_setzero_ps();
}
NN_AVX static inline __m256 nn_load_first_ps(const float *from, long count) {
  if (count >= 8) return _mm256_loadu_ps(from);
  if (count >= 4)
    return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(from)),
                                nn_load_first4_ps(from + 4, count - 4), 1);
  return _mm256_zextps128_ps256(nn_load_first4_ps(from, count));
}
NN_AVX static inline __m256d nn_load_first_pd(const double *from, long count) {
  if (count >= 4) return _mm256_loadu_pd(from);
  if (count >= 2) {
    __m128d high = count == 3 ? _mm_load_sd(from + 2) : _mm_setzero_pd();
    return _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(from)), high, 1);
  }
  return _mm256_zextpd128_pd256(count == 1 ? _mm_load_sd(from) : _mm_setzero_pd());
}
#endif

// The number of leading rows i in [0, rows) of a contiguous matrix of `total` elements whose
// whole-vector access, ending at element i*stride + last_end (last_end: where row 0's ends), stays
// inside it: i*stride + last_end ≤ total. Reading or writing a whole last vector past a row's end
// is safe only while it stays inside the matrix (its extra lanes fall on the next row); later rows
// must take the partial loads and stores. stride > 0. 0 when even row 0's access would leave the
// matrix (tested first: C's division truncates towards zero, so a negative total - last_end would
// count row 0 all the same).
static inline long nn_rows_within(long rows, long stride, long last_end, long total) {
  if (rows <= 0 || last_end > total) return 0;
  long within = (total - last_end) / stride + 1;
  return within < rows ? within : rows;
}

// 1 when the AVX2+FMA code should run: the CPU has it and nn_set_simd_enabled has not turned it off.
int nn_simd_active(void);

// AVX(arguments) where the AVX2+FMA code should run, else PORTABLE(arguments); on other CPUs only
// PORTABLE exists. An expression with the called function's value (void for most), so the entry
// points of the elementwise, reduction and network-step kernels are one line each.
#if NN_X86
#define NN_SIMD_DISPATCH(AVX, PORTABLE, ...) \
  (nn_simd_active() ? AVX(__VA_ARGS__) : PORTABLE(__VA_ARGS__))
#else
#define NN_SIMD_DISPATCH(AVX, PORTABLE, ...) PORTABLE(__VA_ARGS__)
#endif

// The activations of the fused kernels, by the values of FusedActivationKernel (NNProtocols).
enum { NN_ACT_IDENTITY = 0, NN_ACT_SIGMOID = 1, NN_ACT_TANH = 2, NN_ACT_RELU = 3 };

// A piece of parallel work: body(context, part, parts) handles part `part` of `parts`.
typedef void (*nn_parallel_body)(void *context, int part, int parts);

// Runs body(context, i, parts) for every i in 0..<parts on the worker pool, each part claimed by
// whichever thread (the caller included) is free first; or, when the thread count is 1 or the pool is
// busy with another caller's work, runs body(context, 0, 1) on the calling thread. The body must
// therefore give the same result however the work is split. Returns when every part has finished.
void nn_parallel_run(int parts, nn_parallel_body body, void *context);

// A 64-byte aligned scratch buffer of at least `bytes` bytes, owned by the calling thread and reused by
// its later calls (freed when the thread exits). Returns NULL only when memory is exhausted.
void *nn_thread_scratch(size_t bytes);

#endif
