// One training step of a small dense network in a single call (see nn_network_step_template.h for
// how it runs, and nn_kernels.h for the contract).
#include <string.h>

#include "nn_internal.h"
#include "nn_kernels.h"

// Vectors of samples in a full tile: enough that each unit's loop overhead is spread over many
// samples, few enough that a unit's sums stay in the 16 vector registers.
#define TILE_VECTORS 8

typedef float vf8 __attribute__((ext_vector_type(8)));
typedef int vi8 __attribute__((ext_vector_type(8)));
typedef double vd8 __attribute__((ext_vector_type(8)));
typedef double vd4 __attribute__((ext_vector_type(4)));
typedef long vl4 __attribute__((ext_vector_type(4)));
typedef float vf4 __attribute__((ext_vector_type(4)));
typedef float vf2 __attribute__((ext_vector_type(2)));
typedef double vd2 __attribute__((ext_vector_type(2)));
typedef float aliased_float __attribute__((may_alias));
typedef double aliased_double __attribute__((may_alias));

// a##b after both are expanded: the instances' names from a prefix and the precision's SUFFIX.
#define NN_STEP_PASTE_(a, b) a##b
#define NN_STEP_PASTE(a, b) NN_STEP_PASTE_(a, b)

#define T float
#define VEC vf8
#define IVEC vi8
#define DVEC vd8
#define LANES 8
#define ALIASED_T aliased_float
#define LANE_INDEX ((vi8){0, 1, 2, 3, 4, 5, 6, 7})
// Σ of the lanes: the halves added pairwise, in the same order on every path.
#define LANE_SUM(v)                     \
  ({                                    \
    vf4 four_ = (v).lo + (v).hi;        \
    vf2 two_ = four_.lo + four_.hi;     \
    two_.x + two_.y;                    \
  })
#define SIGMOID nn_s_sigmoid
#define TANH nn_s_tanh
#define SUFFIX f
#include "nn_network_step_instances.h"

#define T double
#define VEC vd4
#define IVEC vl4
#define DVEC vd4
#define LANES 4
#define ALIASED_T aliased_double
#define LANE_INDEX ((vl4){0, 1, 2, 3})
#define LANE_SUM(v)              \
  ({                             \
    vd2 two_ = (v).lo + (v).hi;  \
    two_.x + two_.y;             \
  })
#define SIGMOID nn_d_sigmoid
#define TANH nn_d_tanh
#define SUFFIX d
#include "nn_network_step_instances.h"

// Whether a network of these sizes is within the limits of nn_kernels.h.
int nn_network_step_fits(long layer_count, const long *sizes) {
  if (layer_count < 1 || layer_count > NN_NETWORK_STEP_MAX_LAYERS) return 0;
  long weights = 0;
  for (long l = 0; l <= layer_count; l++) {
    if (sizes[l] < 1 || sizes[l] > NN_NETWORK_STEP_MAX_WIDTH) return 0;
    if (l >= 1) weights += sizes[l] * sizes[l - 1];
  }
  return weights <= NN_NETWORK_STEP_MAX_WEIGHTS;
}

// The entry points: the limits checked, then the AVX2+FMA or the portable copy.
#define NN_NETWORK_STEP_ENTRY(NAME, T, AVX, PORTABLE)                                              \
  int NAME(long layer_count, const long *sizes, const int *kinds, const T *const *weights,        \
           const T *const *biases, T *const *weight_gradients, T *const *bias_gradients, long m,  \
           const T *x, const T *y, double loss_scale, double gradient_scale, double *loss) {      \
    if (m < 1 || !nn_network_step_fits(layer_count, sizes)) return 0;                            \
    return NN_SIMD_DISPATCH(AVX, PORTABLE, layer_count, sizes, kinds, weights, biases,            \
                            weight_gradients, bias_gradients, m, x, y, loss_scale, gradient_scale, \
                            loss);                                                                 \
  }

NN_NETWORK_STEP_ENTRY(nn_s_dense_network_step, float, network_step_avx_f, network_step_portable_f)
NN_NETWORK_STEP_ENTRY(nn_d_dense_network_step, double, network_step_avx_d, network_step_portable_d)
