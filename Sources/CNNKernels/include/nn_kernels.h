// nnpipe's compute kernels: the contract every other module relies on.
//
// All matrices are row-major. "lda" is the distance, in elements, between the starts of two rows.
// GEMM computes C = alpha * op(A) * op(B) + beta * C, where op(X) is X or its transpose, op(A) is
// m x k, op(B) is k x n and C is m x n. When beta == 0, C is not read (it may hold NaN). When k == 0
// or alpha == 0, C = beta * C and A, B are not read.
//
// Small products run on the calling thread without packing; large ones are packed into cache blocks,
// computed by an AVX2+FMA register-tiled kernel (where the CPU has it) and split over the worker
// pool. Results are bit-identical run after run and for every thread count. All functions may be
// called from several threads at once.
#ifndef NN_KERNELS_H
#define NN_KERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void nn_sgemm(int transpose_a, int transpose_b, long m, long n, long k, float alpha,
              const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc);
void nn_dgemm(int transpose_a, int transpose_b, long m, long n, long k, double alpha,
              const double *a, long lda, const double *b, long ldb, double beta, double *c,
              long ldc);

// Threads used by large products (1 = the calling thread only; clamped to 1...64). Default: the number
// of cores this process may run on. Workers are created once, on first need; idle ones spin briefly,
// then sleep.
void nn_set_thread_count(int count);
// The count in effect for the calling thread: its own count if one is set, else the process's.
int nn_thread_count(void);
// Sets the calling thread's own count (clamped to 1...64; 0 = none, the process's count applies) and
// returns the previous one, to restore: products this thread starts use it, other threads never see
// it (the pool's workers take the count of the job they run, not their own).
int nn_set_calling_thread_count(int count);

// Runs body(context, part) for every part in 0..<parts and returns when all have finished. Part p
// runs on pool thread p (the caller is thread 0) whenever that thread is free to take it, so the
// memory a part works on stays in one core's cache from one call to the next; the caller runs part 0
// and then every part whose thread has not started it (a busy or sleeping worker never holds a call
// up). With one thread, more than NN_PARALLEL_PARTS_MAX parts, or the pool busy with another caller,
// the caller runs the parts in order. The parts must not depend on each other's results.
#define NN_PARALLEL_PARTS_MAX 32
void nn_parallel_parts(long parts, void (*body)(void *context, long part), void *context);

// 1 when the running CPU has AVX2 and FMA (and the fast path is in use), else 0.
int nn_cpu_has_avx2_fma(void);
// Turns the AVX2+FMA path off (0) or back on (1, only if the CPU has it); for tests and benchmarks.
void nn_set_simd_enabled(int enabled);

// Elementwise functions over n contiguous values; y may equal x. A few ulp from the correctly
// rounded result; exp overflows to +inf and underflows to 0, sigmoid and tanh saturate (no NaN for
// large or infinite inputs), sigmoid(x) for large negative x is e^x (not 0) down to underflow, NaN
// stays NaN.
void nn_s_exp(long n, const float *x, float *y);
void nn_d_exp(long n, const double *x, double *y);
void nn_s_sigmoid(long n, const float *x, float *y);
void nn_d_sigmoid(long n, const double *x, double *y);
void nn_s_tanh(long n, const float *x, float *y);
void nn_d_tanh(long n, const double *x, double *y);

// A dense layer's bias and activation in one pass over a contiguous rows x cols matrix z:
//   z[i][j] ← z[i][j] + bias[j],  then a[i][j] = g(z[i][j])
// with g by `kind`: 0 identity (a may equal z, and is not written then), 1 sigmoid, 2 tanh,
// 3 ReLU (z ≤ 0 → +0, NaN stays NaN). Sigmoid and tanh are the kernels above, to the same bits.
void nn_s_bias_activation(long rows, long cols, float *z, const float *bias, float *a, int kind);
void nn_d_bias_activation(long rows, long cols, double *z, const double *bias, double *a,
                          int kind);

// The activation's share of back-propagation, dz[i] = da[i]·g'(z[i]), over n elements, with g by
// `kind` as above and g' from the forward output a where it can be: sigmoid da·(a·(1 − a)), tanh
// da·(1 − a·a), ReLU da·(z > 0 ? 1 : 0) (NaN z gives NaN); identity copies nothing (dz = da is the
// caller's). Each product is rounded as written, so the bits equal the plain scalar loop's.
void nn_s_activation_backward(long n, const float *z, const float *a, const float *da, float *dz,
                              int kind);
void nn_d_activation_backward(long n, const double *z, const double *a, const double *da,
                              double *dz, int kind);

// Column sums of a row-major m x n matrix whose rows are ld elements apart: out[j] = Σ_i x[i*ld + j]
// (a dense layer's bias gradient). Each column is added row by row in order, on every path.
void nn_s_sum_rows(long m, long n, const float *x, long ld, float *out);
void nn_d_sum_rows(long m, long n, const double *x, long ld, double *out);

// One gradient-descent step's forward and backward pass of a small dense network, in one call, for a
// batch of m samples (rows of x, m x sizes[0], and of the targets y, m x sizes[layer_count]):
//   forward   Zˡ = Aˡ⁻¹·Wˡᵀ + bˡ,  Aˡ = g(Zˡ)  for l = 1 … layer_count,  A⁰ = x
//   loss      L = loss_scale·Σ (Aᴸ − y)²,  dAᴸ = gradient_scale·(Aᴸ − y)
//   backward  dZˡ = dAˡ ∘ g'(Zˡ),  dWˡ = dZˡᵀ·Aˡ⁻¹,  dbˡ = Σ_rows dZˡ,  dAˡ⁻¹ = dZˡ·Wˡ
// Layer l (1-based) has weights[l-1] (sizes[l] x sizes[l-1], row-major), biases[l-1] (sizes[l]
// values, or NULL for a layer without bias) and the activation kinds[l-1] (as in
// nn_s_bias_activation). Writes *loss and overwrites weight_gradients[l-1] and (where there is a bias)
// bias_gradients[l-1]. The batch is walked in tiles of a few vectors of samples, each tile's whole
// pass staying in L1, so the result equals the layer-by-layer step's up to rounding (the sums run in
// another order); it is the same bits run after run. Returns 1, or 0 (writing nothing) when the
// network is beyond the limits below, m < 1, or work memory could not be had.
#define NN_NETWORK_STEP_MAX_LAYERS 8
#define NN_NETWORK_STEP_MAX_WIDTH 64
#define NN_NETWORK_STEP_MAX_WEIGHTS 4096
// 1 when layer_count and sizes (layer_count + 1 values, the input's first) are within the limits.
int nn_network_step_fits(long layer_count, const long *sizes);
int nn_s_dense_network_step(long layer_count, const long *sizes, const int *kinds,
                            const float *const *weights, const float *const *biases,
                            float *const *weight_gradients, float *const *bias_gradients, long m,
                            const float *x, const float *y, double loss_scale,
                            double gradient_scale, double *loss);
int nn_d_dense_network_step(long layer_count, const long *sizes, const int *kinds,
                            const double *const *weights, const double *const *biases,
                            double *const *weight_gradients, double *const *bias_gradients, long m,
                            const double *x, const double *y, double loss_scale,
                            double gradient_scale, double *loss);

#ifdef __cplusplus
}
#endif

#endif
