// Reference implementations of the kernel contract in nn_kernels.h.
// (Straightforward loops; a blocked, vectorized and threaded version replaces them.)
#include "nn_kernels.h"

#include <math.h>

#define NN_GEMM_REFERENCE(NAME, T)                                                            \
  void NAME(int ta, int tb, long m, long n, long k, T alpha, const T *a, long lda, const T *b, \
            long ldb, T beta, T *c, long ldc) {                                                \
    for (long i = 0; i < m; i++) {                                                             \
      for (long j = 0; j < n; j++) {                                                           \
        T sum = 0;                                                                             \
        for (long p = 0; p < k; p++) {                                                         \
          T x = ta ? a[p * lda + i] : a[i * lda + p];                                          \
          T y = tb ? b[j * ldb + p] : b[p * ldb + j];                                          \
          sum += x * y;                                                                        \
        }                                                                                      \
        c[i * ldc + j] = beta == 0 ? alpha * sum : alpha * sum + beta * c[i * ldc + j];        \
      }                                                                                        \
    }                                                                                          \
  }

NN_GEMM_REFERENCE(nn_sgemm, float)
NN_GEMM_REFERENCE(nn_dgemm, double)

static int thread_count = 1;
void nn_set_thread_count(int count) { thread_count = count < 1 ? 1 : count; }
int nn_thread_count(void) { return thread_count; }
int nn_cpu_has_avx2_fma(void) { return 0; }
void nn_set_simd_enabled(int enabled) { (void)enabled; }

void nn_s_exp(long n, const float *x, float *y) { for (long i = 0; i < n; i++) y[i] = expf(x[i]); }
void nn_d_exp(long n, const double *x, double *y) { for (long i = 0; i < n; i++) y[i] = exp(x[i]); }
void nn_s_sigmoid(long n, const float *x, float *y) {
  for (long i = 0; i < n; i++) {
    float e = expf(-fabsf(x[i]));
    y[i] = x[i] >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
}
void nn_d_sigmoid(long n, const double *x, double *y) {
  for (long i = 0; i < n; i++) {
    double e = exp(-fabs(x[i]));
    y[i] = x[i] >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
}
void nn_s_tanh(long n, const float *x, float *y) { for (long i = 0; i < n; i++) y[i] = tanhf(x[i]); }
void nn_d_tanh(long n, const double *x, double *y) { for (long i = 0; i < n; i++) y[i] = tanh(x[i]); }
