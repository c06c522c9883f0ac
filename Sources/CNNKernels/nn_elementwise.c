// Elementwise exp, sigmoid and tanh over buffers, in float and double.
//
// All three share one core, e^y for y in a clamped range, computed the textbook way:
//   n = round(y / ln 2),  r = y − n·ln 2  (|r| ≤ ln 2 / 2; ln 2 split in a high part whose product with n
//                                           is exact and a low part, Cody and Waite's reduction)
//   q = e^r − 1 = r + r²·P(r)             (in double, Taylor to r¹³: P = 1/2! + r/3! + …; in float, P
//                                           of degree 4 fitted for the least relative error on
//                                           |r| ≤ ln 2 / 2, 3·10⁻⁹, one term fewer than Taylor's r⁷;
//                                           both errors are below 0.1 ulp)
//   e^y = 2ⁿ·(1 + q)                        (2ⁿ applied as 2^⌊n/2⌋·2^(n−⌊n/2⌋) so that results in the
//                                           subnormal range are rounded once, and overflow gives ∞)
// and from it:
//   exp(x)     = e^clamp(x)              clamped to where e^x is finite and nonzero, so ∞ → ∞, −∞ → 0
//   sigmoid(x) = 1 / (1 + e^−|x|)        for x ≥ 0, and e^−|x| / (1 + e^−|x|) for x < 0 (one division
//                                        either way, of 1 or of e^−|x|): never 1 − tiny,
//                                        so sigmoid(−50) is 1.9e−22, not 0, down to the underflow point
//   tanh(x)    = sign(x)·t / (t + 2),    t = e^(2|x|) − 1 = 2ⁿ·q + (2ⁿ − 1), exact for small |x| (no
//                                        1 − (1 − …) cancellation); |x| is capped where tanh rounds to 1
// NaN in gives NaN out. Accuracy: a few ulp against the correctly rounded values (the tests check it).
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "nn_internal.h"
#include "nn_kernels.h"

// Clamping limits: beyond them e^x is ∞ or rounds to 0, and tanh(x) rounds to ±1.
#define EXP_MAX_F 89.0f
#define EXP_MIN_F (-104.0f)
#define TANH_MAX_F 10.0f
#define EXP_MAX_D 710.0
#define EXP_MIN_D (-746.0)
#define TANH_MAX_D 20.0

#define LOG2E_F 1.44269504088896341f
#define LN2_HI_F 0.693359375f
#define LN2_LO_F (-2.12194440e-4f)
#define LOG2E_D 1.44269504088896338700e+00
#define LN2_HI_D 6.93147180369123816490e-01
#define LN2_LO_D 1.90821492927058770002e-10

// MARK: - Portable scalar cores (branch-free, so the loops below can be vectorized)

// P(r) for float, fitted (iteratively reweighted least squares on Chebyshev points) so that
// r + r²·P(r) is e^r − 1 within 3·10⁻⁹ of e^r on |r| ≤ ln 2 / 2: close to Taylor's 1/2!, 1/3!, …
// but good to float precision one degree lower.
#define EXPM1_P4_F 1.381461276e-3f
#define EXPM1_P3_F 8.368710056e-3f
#define EXPM1_P2_F 4.166838899e-2f
#define EXPM1_P1_F 1.666652113e-1f
#define EXPM1_P0_F 4.999999404e-1f

// e^r − 1 for |r| ≤ ln 2 / 2.
static inline float expm1_reduced_f(float r) {
  float p = EXPM1_P4_F;
  p = p * r + EXPM1_P3_F;
  p = p * r + EXPM1_P2_F;
  p = p * r + EXPM1_P1_F;
  p = p * r + EXPM1_P0_F;
  return r + r * r * p;
}

static inline double expm1_reduced_d(double r) {
  double p = 1.0 / 6227020800.0;  // 1/13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  return r + r * r * p;
}

static inline float power_of_two_f(int32_t n) {  // 2ⁿ for −126 ≤ n ≤ 127
  uint32_t bits = (uint32_t)(n + 127) << 23;
  float value;
  memcpy(&value, &bits, sizeof value);
  return value;
}

static inline double power_of_two_d(int64_t n) {  // 2ⁿ for −1022 ≤ n ≤ 1023
  uint64_t bits = (uint64_t)(n + 1023) << 52;
  double value;
  memcpy(&value, &bits, sizeof value);
  return value;
}

// e^y for y in [EXP_MIN, EXP_MAX] (not NaN).
static inline float exp_clamped_f(float y) {
  float n = (y * LOG2E_F + 0x1.8p23f) - 0x1.8p23f;  // round to nearest
  float r = (y - n * LN2_HI_F) - n * LN2_LO_F;
  int32_t whole = (int32_t)n, half = whole >> 1;
  return (1.0f + expm1_reduced_f(r)) * power_of_two_f(half) * power_of_two_f(whole - half);
}

static inline double exp_clamped_d(double y) {
  double n = (y * LOG2E_D + 0x1.8p52) - 0x1.8p52;
  double r = (y - n * LN2_HI_D) - n * LN2_LO_D;
  int64_t whole = (int64_t)n, half = whole >> 1;
  return (1.0 + expm1_reduced_d(r)) * power_of_two_d(half) * power_of_two_d(whole - half);
}

// e^y − 1 for y in [0, 2·TANH_MAX].
static inline float expm1_small_f(float y) {
  float n = (y * LOG2E_F + 0x1.8p23f) - 0x1.8p23f;
  float r = (y - n * LN2_HI_F) - n * LN2_LO_F;
  float scale = power_of_two_f((int32_t)n);
  return scale * expm1_reduced_f(r) + (scale - 1.0f);
}

static inline double expm1_small_d(double y) {
  double n = (y * LOG2E_D + 0x1.8p52) - 0x1.8p52;
  double r = (y - n * LN2_HI_D) - n * LN2_LO_D;
  double scale = power_of_two_d((int64_t)n);
  return scale * expm1_reduced_d(r) + (scale - 1.0);
}

static inline float clamp_f(float x, float low, float high) {  // NaN → 0 (kept aside by callers)
  float y = x < low ? low : x;
  y = y > high ? high : y;
  return x == x ? y : 0.0f;
}

static inline double clamp_d(double x, double low, double high) {
  double y = x < low ? low : x;
  y = y > high ? high : y;
  return x == x ? y : 0.0;
}

static void exp_portable_f(long n, const float *x, float *y) {
  for (long i = 0; i < n; i++) {
    float v = x[i], e = exp_clamped_f(clamp_f(v, EXP_MIN_F, EXP_MAX_F));
    y[i] = v == v ? e : v;
  }
}

static void exp_portable_d(long n, const double *x, double *y) {
  for (long i = 0; i < n; i++) {
    double v = x[i], e = exp_clamped_d(clamp_d(v, EXP_MIN_D, EXP_MAX_D));
    y[i] = v == v ? e : v;
  }
}

static void sigmoid_portable_f(long n, const float *x, float *y) {
  for (long i = 0; i < n; i++) {
    float v = x[i], magnitude = v < 0 ? -v : v;
    float e = exp_clamped_f(clamp_f(-magnitude, EXP_MIN_F, EXP_MAX_F));  // e^−|x| in (0, 1]
    float value = (v >= 0 ? 1.0f : e) / (1.0f + e);
    y[i] = v == v ? value : v;
  }
}

static void sigmoid_portable_d(long n, const double *x, double *y) {
  for (long i = 0; i < n; i++) {
    double v = x[i], magnitude = v < 0 ? -v : v;
    double e = exp_clamped_d(clamp_d(-magnitude, EXP_MIN_D, EXP_MAX_D));
    double value = (v >= 0 ? 1.0 : e) / (1.0 + e);
    y[i] = v == v ? value : v;
  }
}

static void tanh_portable_f(long n, const float *x, float *y) {
  for (long i = 0; i < n; i++) {
    float v = x[i], magnitude = clamp_f(v < 0 ? -v : v, 0.0f, TANH_MAX_F);
    float t = expm1_small_f(2.0f * magnitude);
    float value = t / (t + 2.0f);
    value = copysignf(value, v);
    y[i] = v == v ? value : v;
  }
}

static void tanh_portable_d(long n, const double *x, double *y) {
  for (long i = 0; i < n; i++) {
    double v = x[i], magnitude = clamp_d(v < 0 ? -v : v, 0.0, TANH_MAX_D);
    double t = expm1_small_d(2.0 * magnitude);
    double value = t / (t + 2.0);
    value = copysign(value, v);
    y[i] = v == v ? value : v;
  }
}

// MARK: - AVX2+FMA versions of the same cores, 8 floats or 4 doubles at a time

#if NN_X86
// Splits y = n·ln 2 + r; returns r and stores the integral n.
NN_AVX static inline __m256 reduce_ps(__m256 y, __m256 *n) {
  *n = _mm256_round_ps(_mm256_mul_ps(y, _mm256_set1_ps(LOG2E_F)),
                       _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(*n, _mm256_set1_ps(LN2_HI_F), y);
  return _mm256_fnmadd_ps(*n, _mm256_set1_ps(LN2_LO_F), r);
}

NN_AVX static inline __m256d reduce_pd(__m256d y, __m256d *n) {
  *n = _mm256_round_pd(_mm256_mul_pd(y, _mm256_set1_pd(LOG2E_D)),
                       _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fnmadd_pd(*n, _mm256_set1_pd(LN2_HI_D), y);
  return _mm256_fnmadd_pd(*n, _mm256_set1_pd(LN2_LO_D), r);
}

NN_AVX static inline __m256 power_of_two_ps(__m256i n) {
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n, _mm256_set1_epi32(127)), 23));
}

// 2ⁿ for an integral double n in [−1022, 1023]: n + 1.5·2⁵² holds n in its low mantissa bits.
NN_AVX static inline __m256d power_of_two_pd(__m256d n) {
  const __m256d shifter = _mm256_set1_pd(0x1.8p52);
  __m256i whole = _mm256_sub_epi64(_mm256_castpd_si256(_mm256_add_pd(n, shifter)),
                                   _mm256_castpd_si256(shifter));
  return _mm256_castsi256_pd(
    _mm256_slli_epi64(_mm256_add_epi64(whole, _mm256_set1_epi64x(1023)), 52));
}

// max/min return their second operand when either is NaN, so NaN lanes pass through the clamp; from
// there every operation on a NaN lane gives NaN (the integer steps on it give some power of two, and
// NaN times anything is NaN), so NaN in gives NaN out without a final check.
NN_AVX static inline __m256 clamp_ps(__m256 x, float low, float high) {
  return _mm256_min_ps(_mm256_set1_ps(high), _mm256_max_ps(_mm256_set1_ps(low), x));
}

NN_AVX static inline __m256d clamp_pd(__m256d x, double low, double high) {
  return _mm256_min_pd(_mm256_set1_pd(high), _mm256_max_pd(_mm256_set1_pd(low), x));
}

// The group forms below compute g vectors at once (g is a constant where they are inlined), each
// step for all g before the next: one vector's steps form a chain of ~70 cycles, longer than the
// processor can overlap from one vector to the next, and g independent chains side by side keep its
// pipes busy (see Documentation/Performance/0004-sigmoid-tanh-kernels.md). Each lane gets the same
// bits whatever g is.
#define FOR_EACH(q, g) _Pragma("clang loop unroll(full)") for (int q = 0; q < g; q++)

// out = e^r − 1 = r + r²·P(r) for |r| ≤ ln 2 / 2 and g vectors (P as in expm1_reduced_f and
// expm1_reduced_d).
NN_AVX static inline __attribute__((always_inline)) void expm1_reduced_group_ps(const __m256 *r,
                                                                               __m256 *out,
                                                                               const int g) {
  static const float coefficients[] = {EXPM1_P3_F, EXPM1_P2_F, EXPM1_P1_F, EXPM1_P0_F};
  FOR_EACH(q, g) out[q] = _mm256_set1_ps(EXPM1_P4_F);
  _Pragma("clang loop unroll(full)") for (int k = 0; k < 4; k++) {
    FOR_EACH(q, g) out[q] = _mm256_fmadd_ps(out[q], r[q], _mm256_set1_ps(coefficients[k]));
  }
  FOR_EACH(q, g) out[q] = _mm256_fmadd_ps(_mm256_mul_ps(r[q], r[q]), out[q], r[q]);
}

NN_AVX static inline __attribute__((always_inline)) void expm1_reduced_group_pd(const __m256d *r,
                                                                               __m256d *out,
                                                                               const int g) {
  static const double taylor[] = {1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0,
                                  1.0 / 362880.0,    1.0 / 40320.0,    1.0 / 5040.0,
                                  1.0 / 720.0,       1.0 / 120.0,      1.0 / 24.0,
                                  1.0 / 6.0,         0.5};
  FOR_EACH(q, g) out[q] = _mm256_set1_pd(1.0 / 6227020800.0);
  _Pragma("clang loop unroll(full)") for (int k = 0; k < 11; k++) {
    FOR_EACH(q, g) out[q] = _mm256_fmadd_pd(out[q], r[q], _mm256_set1_pd(taylor[k]));
  }
  FOR_EACH(q, g) out[q] = _mm256_fmadd_pd(_mm256_mul_pd(r[q], r[q]), out[q], r[q]);
}

// e^x for g vectors: e^clamp(x) = 2ⁿ·(1 + (e^r − 1)), 2ⁿ in two factors (see exp_clamped_f).
NN_AVX static inline __attribute__((always_inline)) void exp_group_ps(__m256 *v, const int g) {
  __m256 n[4], r[4], p[4];
  FOR_EACH(q, g) r[q] = reduce_ps(clamp_ps(v[q], EXP_MIN_F, EXP_MAX_F), &n[q]);
  expm1_reduced_group_ps(r, p, g);
  FOR_EACH(q, g) {
    __m256i whole = _mm256_cvtps_epi32(n[q]), half = _mm256_srai_epi32(whole, 1);
    p[q] = _mm256_mul_ps(_mm256_add_ps(_mm256_set1_ps(1.0f), p[q]), power_of_two_ps(half));
    v[q] = _mm256_mul_ps(p[q], power_of_two_ps(_mm256_sub_epi32(whole, half)));
  }
}

NN_AVX static inline __attribute__((always_inline)) void exp_group_pd(__m256d *v, const int g) {
  __m256d n[4], r[4], p[4];
  FOR_EACH(q, g) r[q] = reduce_pd(clamp_pd(v[q], EXP_MIN_D, EXP_MAX_D), &n[q]);
  expm1_reduced_group_pd(r, p, g);
  FOR_EACH(q, g) {
    __m256d half = _mm256_floor_pd(_mm256_mul_pd(n[q], _mm256_set1_pd(0.5)));
    p[q] = _mm256_mul_pd(_mm256_add_pd(_mm256_set1_pd(1.0), p[q]), power_of_two_pd(half));
    v[q] = _mm256_mul_pd(p[q], power_of_two_pd(_mm256_sub_pd(n[q], half)));
  }
}

// sigmoid(x) from e = e^−|x| ∈ (0, 1]: the argument −|x| is never positive, so only the lower clamp
// applies, and 2ⁿ is one multiply unless some lane's n is below the normal range (x < −87.3, where
// the result is subnormal and the split scaling of exp_clamped rounds it once).
// In float, each vector's work is cut to the operations it needs (the kernel runs at about one
// vector operation per cycle here, so their count is its speed): y·log₂e + (1.5·2²³ + 127) holds
// n + 127 in its low mantissa bits, so shifting those bits into the exponent field is 2ⁿ itself; e
// = 2ⁿ + 2ⁿ·(e^r − 1) is one fused multiply-add (2ⁿ·(1 + q) rounded once: the same bits as rounding
// 1 + q and scaling exactly); the check for a low n is one integer minimum per vector (a NaN lane
// can only send the group down the slower, equally correct path); and x < 0 picks e instead of 1 as
// the numerator of the one division.

NN_AVX static inline __attribute__((always_inline)) void sigmoid_group_ps(__m256 *v, const int g) {
  const __m256 sign = _mm256_set1_ps(-0.0f), one = _mm256_set1_ps(1.0f);
  const __m256 shifter = _mm256_set1_ps(0x1.8p23f + 127);
  // The bits of shifter + n for the lowest normal 2ⁿ, n = −126.
  const __m256i lowest_normal = _mm256_set1_epi32(0x4B400000 + 127 - 126);
  __m256 y[4], shifted[4], n[4], r[4], q1[4], e[4];
  FOR_EACH(q, g) y[q] = _mm256_max_ps(_mm256_set1_ps(EXP_MIN_F), _mm256_or_ps(v[q], sign));  // −|x|
  FOR_EACH(q, g) shifted[q] = _mm256_fmadd_ps(y[q], _mm256_set1_ps(LOG2E_F), shifter);
  FOR_EACH(q, g) n[q] = _mm256_sub_ps(shifted[q], shifter);
  FOR_EACH(q, g) r[q] = _mm256_fnmadd_ps(n[q], _mm256_set1_ps(LN2_HI_F), y[q]);
  FOR_EACH(q, g) r[q] = _mm256_fnmadd_ps(n[q], _mm256_set1_ps(LN2_LO_F), r[q]);
  expm1_reduced_group_ps(r, q1, g);  // e^r − 1
  __m256i lowest = _mm256_castps_si256(shifted[0]);
  FOR_EACH(q, g) lowest = _mm256_min_epi32(lowest, _mm256_castps_si256(shifted[q]));
  if (_mm256_testz_si256(_mm256_cmpgt_epi32(lowest_normal, lowest), _mm256_set1_epi32(-1))) {
    FOR_EACH(q, g) {
      __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(shifted[q]), 23));
      e[q] = _mm256_fmadd_ps(q1[q], scale, scale);
    }
  } else {
    const __m256i bias = _mm256_castps_si256(shifter);
    FOR_EACH(q, g) {
      __m256i whole = _mm256_sub_epi32(_mm256_castps_si256(shifted[q]), bias);
      __m256i half = _mm256_srai_epi32(whole, 1);
      e[q] = _mm256_mul_ps(_mm256_mul_ps(_mm256_add_ps(one, q1[q]), power_of_two_ps(half)),
                           power_of_two_ps(_mm256_sub_epi32(whole, half)));
    }
  }
  FOR_EACH(q, g) v[q] = _mm256_div_ps(_mm256_blendv_ps(one, e[q], v[q]), _mm256_add_ps(one, e[q]));
}

NN_AVX static inline __attribute__((always_inline)) void sigmoid_group_pd(__m256d *v, const int g) {
  const __m256d sign = _mm256_set1_pd(-0.0), one = _mm256_set1_pd(1.0);
  const __m256d low = _mm256_set1_pd(-1022.0);
  __m256d y[4], n[4], r[4], q1[4], e[4];
  __m256d any_low = _mm256_setzero_pd();
  FOR_EACH(q, g) y[q] = _mm256_max_pd(_mm256_set1_pd(EXP_MIN_D), _mm256_or_pd(v[q], sign));
  FOR_EACH(q, g) r[q] = reduce_pd(y[q], &n[q]);
  expm1_reduced_group_pd(r, q1, g);  // e^r − 1
  FOR_EACH(q, g) any_low = _mm256_or_pd(any_low, _mm256_cmp_pd(n[q], low, _CMP_LT_OQ));
  if (_mm256_movemask_pd(any_low) == 0) {
    FOR_EACH(q, g) {
      __m256d scale = power_of_two_pd(n[q]);
      e[q] = _mm256_fmadd_pd(q1[q], scale, scale);  // 2ⁿ·(1 + q), rounded once
    }
  } else {
    FOR_EACH(q, g) {
      __m256d half = _mm256_floor_pd(_mm256_mul_pd(n[q], _mm256_set1_pd(0.5)));
      e[q] = _mm256_mul_pd(_mm256_mul_pd(_mm256_add_pd(one, q1[q]), power_of_two_pd(half)),
                           power_of_two_pd(_mm256_sub_pd(n[q], half)));
    }
  }
  FOR_EACH(q, g) v[q] = _mm256_div_pd(_mm256_blendv_pd(one, e[q], v[q]), _mm256_add_pd(one, e[q]));
}

// tanh for g vectors: sign(x)·t / (t + 2) with t = e^(2|x|) − 1, step by step across the group.
// In float, as in sigmoid_group_ps: 2|x|·log₂e + (1.5·2²³ + 127) holds n + 127 in its low bits, so
// 2ⁿ is those bits shifted into the exponent field (n is at most 29 here, never out of range), and
// |x| needs only the upper clamp (a NaN passes through min).
NN_AVX static inline __attribute__((always_inline)) void tanh_group_ps(__m256 *v, const int g) {
  const __m256 sign = _mm256_set1_ps(-0.0f), two = _mm256_set1_ps(2.0f);
  const __m256 shifter = _mm256_set1_ps(0x1.8p23f + 127);
  __m256 shifted[4], r[4], p[4];
  FOR_EACH(q, g) {
    __m256 magnitude = _mm256_min_ps(_mm256_set1_ps(TANH_MAX_F), _mm256_andnot_ps(sign, v[q]));
    shifted[q] = _mm256_fmadd_ps(magnitude, _mm256_set1_ps(2 * LOG2E_F), shifter);
    __m256 n = _mm256_sub_ps(shifted[q], shifter);
    r[q] = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_HI_F), _mm256_add_ps(magnitude, magnitude));
    r[q] = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_LO_F), r[q]);
  }
  expm1_reduced_group_ps(r, p, g);
  FOR_EACH(q, g) {
    __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(shifted[q]), 23));
    __m256 t = _mm256_fmadd_ps(scale, p[q], _mm256_sub_ps(scale, _mm256_set1_ps(1)));
    __m256 value = _mm256_div_ps(t, _mm256_add_ps(t, two));
    v[q] = _mm256_or_ps(value, _mm256_and_ps(v[q], sign));
  }
}

NN_AVX static inline __attribute__((always_inline)) void tanh_group_pd(__m256d *v, const int g) {
  const __m256d sign = _mm256_set1_pd(-0.0), two = _mm256_set1_pd(2.0);
  __m256d n[4], r[4], p[4];
  FOR_EACH(q, g) {
    __m256d magnitude = clamp_pd(_mm256_andnot_pd(sign, v[q]), 0.0, TANH_MAX_D);
    r[q] = reduce_pd(_mm256_mul_pd(two, magnitude), &n[q]);
  }
  expm1_reduced_group_pd(r, p, g);
  FOR_EACH(q, g) {
    __m256d scale = power_of_two_pd(n[q]);
    __m256d t = _mm256_fmadd_pd(scale, p[q], _mm256_sub_pd(scale, _mm256_set1_pd(1)));
    __m256d value = _mm256_div_pd(t, _mm256_add_pd(t, two));
    v[q] = _mm256_or_pd(value, _mm256_and_pd(v[q], sign));
  }
}

// Functions cheap enough to take one vector at a time, in the group form the passes below take.
#define NN_GROUP_OF(NAME, VEC, FUNCTION)                                                  \
  NN_AVX static inline __attribute__((always_inline)) void NAME(VEC *v, const int g) {   \
    FOR_EACH(q, g) v[q] = FUNCTION(v[q]);                                                 \
  }

// Groups of 4 vectors straight from x to y, then single vectors, then the tail through a padded
// local vector (y may equal x).
#define NN_ELEMENTWISE_AVX(NAME, T, VEC, LANES, LOADU, STOREU, GROUP)  \
  NN_AVX static void NAME(long n, const T *x, T *y) {                  \
    long i = 0;                                                        \
    for (; i + 4 * LANES <= n; i += 4 * LANES) {                       \
      VEC v[4];                                                        \
      FOR_EACH(q, 4) v[q] = LOADU(x + i + q * LANES);                  \
      GROUP(v, 4);                                                     \
      FOR_EACH(q, 4) STOREU(y + i + q * LANES, v[q]);                  \
    }                                                                  \
    for (; i + LANES <= n; i += LANES) {                               \
      VEC v[1] = {LOADU(x + i)};                                       \
      GROUP(v, 1);                                                     \
      STOREU(y + i, v[0]);                                             \
    }                                                                  \
    if (i < n) {                                                       \
      T tail[LANES] = {0};                                             \
      memcpy(tail, x + i, (size_t)(n - i) * sizeof(T));                \
      VEC v[1] = {LOADU(tail)};                                        \
      GROUP(v, 1);                                                     \
      STOREU(tail, v[0]);                                              \
      memcpy(y + i, tail, (size_t)(n - i) * sizeof(T));                \
    }                                                                  \
  }

NN_ELEMENTWISE_AVX(exp_avx_f, float, __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps, exp_group_ps)
NN_ELEMENTWISE_AVX(exp_avx_d, double, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, exp_group_pd)
NN_ELEMENTWISE_AVX(sigmoid_avx_f, float, __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps,
                   sigmoid_group_ps)
NN_ELEMENTWISE_AVX(sigmoid_avx_d, double, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd,
                   sigmoid_group_pd)
NN_ELEMENTWISE_AVX(tanh_avx_f, float, __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps, tanh_group_ps)
NN_ELEMENTWISE_AVX(tanh_avx_d, double, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, tanh_group_pd)
#endif

// MARK: - Bias and activation in one pass


static inline float relu_f(float z) { return z <= 0 ? 0.0f : z; }  // NaN stays NaN, −0 gives +0
static inline double relu_d(double z) { return z <= 0 ? 0.0 : z; }

// Portable: row by row, z += bias, then the buffer kernel of the activation over the row.
#define NN_BIAS_ACTIVATION_PORTABLE(NAME, T, SIGMOID, TANH, RELU)                 \
  static void NAME(long rows, long cols, T *z, const T *bias, T *a, int kind) {   \
    for (long i = 0; i < rows; i++) {                                             \
      T *zi = z + i * cols, *ai = a + i * cols;                                   \
      for (long j = 0; j < cols; j++) zi[j] = zi[j] + bias[j];                    \
      if (kind == NN_ACT_IDENTITY && ai != zi) memcpy(ai, zi, (size_t)cols * sizeof(T)); \
      if (kind == NN_ACT_SIGMOID) SIGMOID(cols, zi, ai);                             \
      if (kind == NN_ACT_TANH) TANH(cols, zi, ai);                                   \
      if (kind == NN_ACT_RELU)                                                       \
        for (long j = 0; j < cols; j++) ai[j] = RELU(zi[j]);                      \
    }                                                                             \
  }

NN_BIAS_ACTIVATION_PORTABLE(bias_activation_portable_f, float, sigmoid_portable_f, tanh_portable_f,
                            relu_f)
NN_BIAS_ACTIVATION_PORTABLE(bias_activation_portable_d, double, sigmoid_portable_d, tanh_portable_d,
                            relu_d)

#if NN_X86
NN_AVX static inline __m256 relu_ps(__m256 z) {  // z ≤ 0 → +0; otherwise (NaN included) z
  return _mm256_andnot_ps(_mm256_cmp_ps(z, _mm256_setzero_ps(), _CMP_LE_OQ), z);
}
NN_AVX static inline __m256d relu_pd(__m256d z) {
  return _mm256_andnot_pd(_mm256_cmp_pd(z, _mm256_setzero_pd(), _CMP_LE_OQ), z);
}
NN_AVX static inline __m256 identity_ps(__m256 z) { return z; }
NN_AVX static inline __m256d identity_pd(__m256d z) { return z; }

// One activation's pass over the flat buffer: z += the bias pattern, a = g(z) by GROUP (groups of 4
// vectors, then single ones). The pattern (`period` elements, a whole number of vectors) repeats the
// bias row, so no row has a tail; only the buffer's last elements (fewer than a vector) go through a
// padded local vector. `a` is not written when it is `z` (the identity in place).
#define NN_BIAS_PASS_AVX(NAME, T, VEC, LANES, LOADU, STOREU, ADD, GROUP)                      \
  NN_AVX static inline __attribute__((always_inline)) void NAME##_body(                       \
      long total, T *z, const T *pattern, long period, T *a, const int write_a) {             \
    long f = 0;                                                                               \
    for (; f + LANES <= total;) {                                                             \
      long end = total - f < period ? total - f : period;                                     \
      long t = 0;                                                                             \
      for (; t + 4 * LANES <= end; t += 4 * LANES) {                                          \
        VEC v[4];                                                                             \
        FOR_EACH(q, 4) v[q] = ADD(LOADU(z + f + t + q * LANES), LOADU(pattern + t + q * LANES)); \
        FOR_EACH(q, 4) STOREU(z + f + t + q * LANES, v[q]);                                   \
        if (write_a) {                                                                        \
          GROUP(v, 4);                                                                        \
          FOR_EACH(q, 4) STOREU(a + f + t + q * LANES, v[q]);                                 \
        }                                                                                     \
      }                                                                                       \
      for (; t + LANES <= end; t += LANES) {                                                  \
        VEC v[1] = {ADD(LOADU(z + f + t), LOADU(pattern + t))};                               \
        STOREU(z + f + t, v[0]);                                                              \
        if (write_a) {                                                                        \
          GROUP(v, 1);                                                                        \
          STOREU(a + f + t, v[0]);                                                            \
        }                                                                                     \
      }                                                                                       \
      f += t;                                                                                 \
    }                                                                                         \
    if (f < total) {                                                                          \
      T zs[LANES] = {0}, bs[LANES] = {0};                                                     \
      long left = total - f, start = f % period;                                              \
      memcpy(zs, z + f, (size_t)left * sizeof(T));                                            \
      memcpy(bs, pattern + start, (size_t)left * sizeof(T));                                  \
      VEC v[1] = {ADD(LOADU(zs), LOADU(bs))};                                                 \
      STOREU(zs, v[0]);                                                                       \
      memcpy(z + f, zs, (size_t)left * sizeof(T));                                            \
      GROUP(v, 1);                                                                            \
      STOREU(zs, v[0]);                                                                       \
      if (write_a) memcpy(a + f, zs, (size_t)left * sizeof(T));                               \
    }                                                                                         \
  }                                                                                           \
  NN_AVX static void NAME(long total, T *z, const T *pattern, long period, T *a) {            \
    if (a == z)                                                                               \
      NAME##_body(total, z, pattern, period, a, 0);                                           \
    else                                                                                      \
      NAME##_body(total, z, pattern, period, a, 1);                                           \
  }

NN_GROUP_OF(identity_group_ps, __m256, identity_ps)
NN_GROUP_OF(identity_group_pd, __m256d, identity_pd)
NN_GROUP_OF(relu_group_ps, __m256, relu_ps)
NN_GROUP_OF(relu_group_pd, __m256d, relu_pd)

#define NN_BIAS_PASS_F(NAME, FUNCTION)                                                      \
  NN_BIAS_PASS_AVX(NAME, float, __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_add_ps, \
                   FUNCTION)
#define NN_BIAS_PASS_D(NAME, FUNCTION)                                                       \
  NN_BIAS_PASS_AVX(NAME, double, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd,              \
                   _mm256_add_pd, FUNCTION)
NN_BIAS_PASS_F(bias_identity_avx_f, identity_group_ps)
NN_BIAS_PASS_F(bias_sigmoid_avx_f, sigmoid_group_ps)
NN_BIAS_PASS_F(bias_tanh_avx_f, tanh_group_ps)
NN_BIAS_PASS_F(bias_relu_avx_f, relu_group_ps)
NN_BIAS_PASS_D(bias_identity_avx_d, identity_group_pd)
NN_BIAS_PASS_D(bias_sigmoid_avx_d, sigmoid_group_pd)
NN_BIAS_PASS_D(bias_tanh_avx_d, tanh_group_pd)
NN_BIAS_PASS_D(bias_relu_avx_d, relu_group_pd)

// The bias repeated over whole rows that fill whole vectors: the bias itself when a row is a whole
// number of vectors; four vectors of it in `local` (the caller's, 4·LANES elements) when a row of 1,
// 2 or 4 columns divides that; else a copy in the thread's scratch memory of enough rows for a few
// hundred elements (so a narrow layer's pass is not cut into many short pieces), but no more rows
// than the buffer has. Returns NULL when that memory could not be had (the caller then takes the
// portable path).
#define NN_BIAS_PATTERN(NAME, T, LANES)                                                  \
  static const T *NAME(long buffer_rows, long cols, const T *bias, T *local, long *period) { \
    long rows = 1;                                                                       \
    while ((rows * cols) % LANES != 0) rows++;                                           \
    if (rows == 1) {                                                                     \
      *period = cols;                                                                    \
      return bias;                                                                       \
    }                                                                                    \
    if ((4 * LANES) % cols == 0) {                                                       \
      for (long i = 0; i < 4 * LANES; i++) local[i] = bias[i & (cols - 1)]; /* cols: 2^k */ \
      *period = 4 * LANES;                                                               \
      return local;                                                                      \
    }                                                                                    \
    long repeats = (512 + rows * cols - 1) / (rows * cols);                              \
    long needed = (buffer_rows + rows - 1) / rows;                                       \
    rows *= repeats < needed ? repeats : needed;                                         \
    *period = rows * cols;                                                               \
    T *pattern = nn_thread_scratch((size_t)*period * sizeof(T));                         \
    if (pattern == NULL) return NULL;                                                    \
    memcpy(pattern, bias, (size_t)cols * sizeof(T));                                     \
    for (long filled = cols; filled < *period; filled *= 2) /* doubling copies */        \
      memcpy(pattern + filled, pattern,                                                  \
             (size_t)(*period - filled < filled ? *period - filled : filled) * sizeof(T)); \
    return pattern;                                                                      \
  }

NN_BIAS_PATTERN(bias_pattern_f, float, 8)
NN_BIAS_PATTERN(bias_pattern_d, double, 4)

#define NN_BIAS_ACTIVATION_AVX(NAME, T, PATTERN, PORTABLE, IDENTITY, SIGMOID, TANH, RELU)  \
  static void NAME(long rows, long cols, T *z, const T *bias, T *a, int kind) {            \
    long period;                                                                           \
    T local[32];                                                                           \
    const T *pattern = PATTERN(rows, cols, bias, local, &period);                          \
    if (pattern == NULL) {                                                                 \
      PORTABLE(rows, cols, z, bias, a, kind);                                              \
      return;                                                                              \
    }                                                                                      \
    long total = rows * cols;                                                              \
    switch (kind) {                                                                        \
      case NN_ACT_SIGMOID: SIGMOID(total, z, pattern, period, a); break;                      \
      case NN_ACT_TANH: TANH(total, z, pattern, period, a); break;                            \
      case NN_ACT_RELU: RELU(total, z, pattern, period, a); break;                            \
      default: IDENTITY(total, z, pattern, period, a); break;                              \
    }                                                                                      \
  }

NN_BIAS_ACTIVATION_AVX(bias_activation_avx_f, float, bias_pattern_f, bias_activation_portable_f,
                       bias_identity_avx_f, bias_sigmoid_avx_f, bias_tanh_avx_f, bias_relu_avx_f)
NN_BIAS_ACTIVATION_AVX(bias_activation_avx_d, double, bias_pattern_d, bias_activation_portable_d,
                       bias_identity_avx_d, bias_sigmoid_avx_d, bias_tanh_avx_d, bias_relu_avx_d)
#endif

// MARK: - Activation derivatives

// dZ = dA ∘ g'(Z), from the forward output a where g' is written in it, each product rounded as in
// NNActivations' scalar loops (so both paths give the same bits):
//   sigmoid: dA·(a·(1 − a))    tanh: dA·(1 − a·a)    ReLU: dA·(z > 0 ? 1 : z is NaN ? z : 0)
#define NN_ACTIVATION_BACKWARD_PORTABLE(NAME, T)                                            \
  static void NAME(long n, const T *z, const T *a, const T *da, T *dz, int kind) {          \
    _Pragma("STDC FP_CONTRACT OFF") /* no fused 1 − a·a: the bits of the scalar Swift loops */ \
    for (long i = 0; i < n; i++) {                                                          \
      T slope = kind == NN_ACT_SIGMOID ? a[i] * (1 - a[i])                                     \
                : kind == NN_ACT_TANH  ? 1 - a[i] * a[i]                                       \
                : kind == NN_ACT_RELU  ? (z[i] > 0 ? 1 : z[i] != z[i] ? z[i] : 0)              \
                                    : 1;                                                    \
      dz[i] = da[i] * slope;                                                                \
    }                                                                                       \
  }

NN_ACTIVATION_BACKWARD_PORTABLE(activation_backward_portable_f, float)
NN_ACTIVATION_BACKWARD_PORTABLE(activation_backward_portable_d, double)

#if NN_X86
#define NN_ACTIVATION_BACKWARD_AVX(NAME, PORTABLE, T, VEC, LANES, LOADU, STOREU, SET1, SUB, MUL, \
                                   AND, OR, CMP)                                                 \
  NN_AVX static void NAME(long n, const T *z, const T *a, const T *da, T *dz, int kind) {       \
    const VEC one = SET1(1);                                                                     \
    long i = 0;                                                                                  \
    if (kind == NN_ACT_SIGMOID) {                                                                   \
      for (; i + LANES <= n; i += LANES) {                                                       \
        VEC out = LOADU(a + i);                                                                  \
        STOREU(dz + i, MUL(LOADU(da + i), MUL(out, SUB(one, out))));                             \
      }                                                                                          \
    } else if (kind == NN_ACT_TANH) {                                                               \
      for (; i + LANES <= n; i += LANES) {                                                       \
        VEC out = LOADU(a + i);                                                                  \
        STOREU(dz + i, MUL(LOADU(da + i), SUB(one, MUL(out, out))));                             \
      }                                                                                          \
    } else if (kind == NN_ACT_RELU) {                                                               \
      const VEC zero = SET1(0);                                                                  \
      for (; i + LANES <= n; i += LANES) {                                                       \
        VEC input = LOADU(z + i);                                                                \
        VEC slope = OR(AND(CMP(input, zero, _CMP_GT_OQ), one),                                   \
                       AND(CMP(input, input, _CMP_UNORD_Q), input)); /* 1, NaN or 0 */           \
        STOREU(dz + i, MUL(LOADU(da + i), slope));                                               \
      }                                                                                          \
    }                                                                                            \
    PORTABLE(n - i, z + i, a + i, da + i, dz + i, kind);                                         \
  }

NN_ACTIVATION_BACKWARD_AVX(activation_backward_avx_f, activation_backward_portable_f, float, __m256,
                           8, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_set1_ps, _mm256_sub_ps,
                           _mm256_mul_ps, _mm256_and_ps, _mm256_or_ps, _mm256_cmp_ps)
NN_ACTIVATION_BACKWARD_AVX(activation_backward_avx_d, activation_backward_portable_d, double,
                           __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_set1_pd,
                           _mm256_sub_pd, _mm256_mul_pd, _mm256_and_pd, _mm256_or_pd, _mm256_cmp_pd)
#endif

// MARK: - Entry points

#define NN_DISPATCH(AVX, PORTABLE) NN_SIMD_DISPATCH(AVX, PORTABLE, n, x, y);

void nn_s_exp(long n, const float *x, float *y) { NN_DISPATCH(exp_avx_f, exp_portable_f) }
void nn_d_exp(long n, const double *x, double *y) { NN_DISPATCH(exp_avx_d, exp_portable_d) }
void nn_s_sigmoid(long n, const float *x, float *y) {
  NN_DISPATCH(sigmoid_avx_f, sigmoid_portable_f)
}
void nn_d_sigmoid(long n, const double *x, double *y) {
  NN_DISPATCH(sigmoid_avx_d, sigmoid_portable_d)
}
void nn_s_tanh(long n, const float *x, float *y) { NN_DISPATCH(tanh_avx_f, tanh_portable_f) }
void nn_d_tanh(long n, const double *x, double *y) { NN_DISPATCH(tanh_avx_d, tanh_portable_d) }

void nn_s_bias_activation(long rows, long cols, float *z, const float *bias, float *a, int kind) {
  if (rows <= 0 || cols <= 0) return;
  NN_SIMD_DISPATCH(bias_activation_avx_f, bias_activation_portable_f, rows, cols, z, bias, a, kind);
}
void nn_d_bias_activation(long rows, long cols, double *z, const double *bias, double *a,
                          int kind) {
  if (rows <= 0 || cols <= 0) return;
  NN_SIMD_DISPATCH(bias_activation_avx_d, bias_activation_portable_d, rows, cols, z, bias, a, kind);
}

void nn_s_activation_backward(long n, const float *z, const float *a, const float *da, float *dz,
                              int kind) {
  NN_SIMD_DISPATCH(activation_backward_avx_f, activation_backward_portable_f, n, z, a, da, dz, kind);
}
void nn_d_activation_backward(long n, const double *z, const double *a, const double *da,
                              double *dz, int kind) {
  NN_SIMD_DISPATCH(activation_backward_avx_d, activation_backward_portable_d, n, z, a, da, dz, kind);
}
