// One training step of a small dense network, for one precision and one instruction set; included by
// nn_network_step.c four times (float and double, AVX2+FMA and portable) with these macros defined:
//   T, VEC, IVEC, DVEC   the scalar, a vector of LANES of them, the integer vector a comparison gives,
//                        and a vector of LANES doubles (the loss is summed in double)
//   LANES, NAME(x)       lanes per vector, and the function name suffix (x_avx_f, x_portable_d, …)
//   ATTR                 NN_AVX for the AVX2+FMA copy, nothing for the portable one
//   SIGMOID, TANH        the buffer kernels of nn_kernels.h for T
//   ALIASED_T, LANE_INDEX  T that may alias a vector, and the vector of lane numbers 0, 1, …
//   LANE_SUM(v)          Σ of v's lanes in a fixed order
//
// The layer-by-layer step stores Z and A of every layer for the whole batch, and each stage (product,
// bias, activation, loss, derivative, the three gradient products) is one pass over memory, one call
// each. For a network of a few dozen units that is a dozen short calls per step, each mostly loop
// overhead. This step walks the batch in tiles of TILE_VECTORS·LANES samples (then one of half that,
// then tiles of LANES for what is left), and runs the whole forward and backward pass of one tile
// while it sits in L1: the tutorials' equations, with one sample per vector lane:
//   forward, l = 1 … L:   Zˡ[j] = bˡ[j] + Σ_p Wˡ[j][p]·Aˡ⁻¹[p],   Aˡ[j] = g(Zˡ[j])
//   loss:                 e = Aᴸ − Y,   L += c·Σ e²,   dAᴸ = 2c·e
//   backward, l = L … 1:  dZˡ = dAˡ ∘ g'(Zˡ)          (applied as each dAˡ is made, in registers)
//                         dWˡ[j][p] += Σ_lanes dZˡ[j]·Aˡ⁻¹[p],   dbˡ[j] += Σ_lanes dZˡ[j]
//                         dAˡ⁻¹[p] = Σ_j Wˡ[j][p]·dZˡ[j]           (not for l = 1)
// Each unit's values for the tile are `nv` vectors in a row ([unit][nv] vectors), so a weight times
// a whole tile is one broadcast and nv multiply-adds. The weight gradients are summed per lane over
// the tiles and across the lanes once at the end, in a fixed order: the same bits every run.
// Lanes past the batch's end hold zero inputs; their error e is set to 0 before anything is summed,
// so they add nothing to the loss or the gradients.

// Where one step's work memory starts, in vectors: per layer l, A (and, for l ≥ 1 and not the
// identity, Z) as [unit][TILE_VECTORS]; two gradient buffers of the widest layer; the targets' tile;
// the per-lane gradient sums.
typedef struct {
  VEC *a[NN_NETWORK_STEP_MAX_LAYERS + 1], *z[NN_NETWORK_STEP_MAX_LAYERS + 1];
  VEC *gradient[2], *targets;
  VEC *weight_sums[NN_NETWORK_STEP_MAX_LAYERS], *bias_sums[NN_NETWORK_STEP_MAX_LAYERS];
} NAME(step_memory);

// A tile of `count` rows of a row-major matrix with `features` columns, one row of nv vectors per
// feature: to[p][s] = from[s·features + p], 0 past count. A single feature of a whole tile is a
// straight copy.
ATTR static inline __attribute__((always_inline)) void NAME(gather_tile)(
    VEC *to, const T *from, long features, long count, const int nv) {
  if (features == 1 && count == nv * LANES) {
    for (int v = 0; v < nv; v++) memcpy(&to[v], from + v * LANES, sizeof(VEC));
    return;
  }
  ALIASED_T *row = (ALIASED_T *)to;
  for (long p = 0; p < features; p++)
    for (long s = 0; s < nv * LANES; s++)
      row[p * nv * LANES + s] = s < count ? from[s * features + p] : 0;
}

// d ← d ∘ g'(z) for one unit's nv vectors of a tile, with g' from the output a where it can be, as
// in nn_s_activation_backward: sigmoid a·(1 − a), tanh 1 − a², ReLU 1 for z > 0 (z for NaN, else 0),
// identity 1.
ATTR static inline __attribute__((always_inline)) void NAME(times_slope)(VEC *d, const VEC *a,
                                                                        const VEC *z, int kind,
                                                                        const int nv) {
  const VEC one = (T)1;
  if (kind == NN_ACT_SIGMOID)
    for (int v = 0; v < nv; v++) d[v] = d[v] * (a[v] * (one - a[v]));
  else if (kind == NN_ACT_TANH)
    for (int v = 0; v < nv; v++) d[v] = d[v] * (one - a[v] * a[v]);
  else if (kind == NN_ACT_RELU)
    for (int v = 0; v < nv; v++)
      d[v] = d[v] * (VEC)(((z[v] > (T)0) & (IVEC)one) | ((z[v] != z[v]) & (IVEC)z[v]));
}

// The forward and backward pass of samples [first, first + count) as a tile of nv vectors
// (count ≤ nv·LANES); adds the tile's Σ e² to *squares (per lane) and its gradients to the sums.
ATTR static inline __attribute__((always_inline)) void NAME(step_tile)(
    long layer_count, const long *sizes, const int *kinds, const T *const *weights,
    const T *const *biases, const T *x, const T *y, long first, long count, T gradient_scale,
    const NAME(step_memory) *memory, DVEC *squares, const int nv) {
  // A⁰: the tile's inputs, one row of nv vectors per feature (lanes past count are 0).
  NAME(gather_tile)(memory->a[0], x + first * sizes[0], sizes[0], count, nv);

  // Forward: Zˡ = Wˡ·Aˡ⁻¹ + bˡ, unit by unit, then Aˡ = g(Zˡ) over the layer's whole tile.
  for (long l = 1; l <= layer_count; l++) {
    long inputs = sizes[l - 1], units = sizes[l];
    const T *w = weights[l - 1], *b = biases[l - 1];
    const VEC *in = memory->a[l - 1];
    VEC *z = memory->z[l];
    for (long j = 0; j < units; j++) {
      VEC sum[TILE_VECTORS];
      for (int v = 0; v < nv; v++) sum[v] = b != NULL ? b[j] : (T)0;
      for (long p = 0; p < inputs; p++) {
        VEC weight = w[j * inputs + p];  // broadcast once
        for (int v = 0; v < nv; v++) sum[v] += weight * in[p * nv + v];
      }
      for (int v = 0; v < nv; v++) z[j * nv + v] = sum[v];
    }
    long n = units * nv * LANES;
    switch (kinds[l - 1]) {
      case NN_ACT_SIGMOID: SIGMOID(n, (const T *)z, (T *)memory->a[l]); break;
      case NN_ACT_TANH: TANH(n, (const T *)z, (T *)memory->a[l]); break;
      case NN_ACT_RELU:  // z ≤ 0 → +0; otherwise (NaN included) z
        for (long i = 0; i < units * nv; i++)
          memory->a[l][i] = (VEC)(~(z[i] <= (T)0) & (IVEC)z[i]);
        break;
      default: break;  // identity: a[l] is z[l]
    }
  }

  // The loss: e = Aᴸ − Y on the tile's lanes (0 past count), Σ e² per lane, dAᴸ = 2c·e, and at once
  // dZᴸ = dAᴸ ∘ g'(Zᴸ).
  long outputs = sizes[layer_count];
  NAME(gather_tile)(memory->targets, y + first * outputs, outputs, count, nv);
  IVEC inside[TILE_VECTORS];  // all ones in the lanes of samples inside the batch
  for (int v = 0; v < nv; v++) inside[v] = LANE_INDEX + v * LANES < (int)count;
  const VEC *output = memory->a[layer_count], *output_z = memory->z[layer_count];
  VEC *gradient = memory->gradient[0];
  for (long j = 0; j < outputs; j++) {
    VEC d[TILE_VECTORS];
    for (int v = 0; v < nv; v++) {
      VEC error = output[j * nv + v] - memory->targets[j * nv + v];
      VEC e = (VEC)(inside[v] & (IVEC)error);
      DVEC wide = __builtin_convertvector(e, DVEC);
      *squares += wide * wide;
      d[v] = gradient_scale * e;
    }
    NAME(times_slope)(d, output + j * nv, output_z + j * nv, kinds[layer_count - 1], nv);
    for (int v = 0; v < nv; v++) gradient[j * nv + v] = d[v];
  }

  // Backward, last layer first.
  int current = 0;
  for (long l = layer_count; l >= 1; l--) {
    long inputs = sizes[l - 1], units = sizes[l];
    VEC *dz = memory->gradient[current];
    const VEC *in = memory->a[l - 1];
    VEC *weight_sums = memory->weight_sums[l - 1], *bias_sums = memory->bias_sums[l - 1];
    for (long j = 0; j < units; j++) {
      VEC d[TILE_VECTORS];  // dZˡ[j], held in registers across the unit's inputs
      for (int v = 0; v < nv; v++) d[v] = dz[j * nv + v];
      for (long p = 0; p < inputs; p++) {
        VEC sum = weight_sums[j * inputs + p];
        for (int v = 0; v < nv; v++) sum += d[v] * in[p * nv + v];
        weight_sums[j * inputs + p] = sum;
      }
      if (biases[l - 1] != NULL) {
        VEC sum = bias_sums[j];
        for (int v = 0; v < nv; v++) sum += d[v];
        bias_sums[j] = sum;
      }
    }
    if (l == 1) break;  // the inputs' gradient is never needed
    // dAˡ⁻¹[p] = Σ_j Wˡ[j][p]·dZˡ[j], and at once the layer below's dZˡ⁻¹[p] = dAˡ⁻¹[p] ∘ g'(Zˡ⁻¹[p]).
    const T *w = weights[l - 1];
    const VEC *below_z = memory->z[l - 1];
    VEC *previous = memory->gradient[1 - current];
    for (long p = 0; p < inputs; p++) {
      VEC sum[TILE_VECTORS];  // in registers across the layer's units
      for (int v = 0; v < nv; v++) sum[v] = (T)0;
      for (long j = 0; j < units; j++) {
        VEC weight = w[j * inputs + p];  // broadcast once
        for (int v = 0; v < nv; v++) sum[v] += weight * dz[j * nv + v];
      }
      NAME(times_slope)(sum, in + p * nv, below_z + p * nv, kinds[l - 2], nv);
      for (int v = 0; v < nv; v++) previous[p * nv + v] = sum[v];
    }
    current = 1 - current;
  }
}

// Σ of a vector's lanes, halves added pairwise (a fixed order).
ATTR static inline __attribute__((always_inline)) T NAME(lane_sum)(const VEC *v) {
  return LANE_SUM(*v);
}

ATTR static int NAME(network_step)(long layer_count, const long *sizes, const int *kinds,
                                   const T *const *weights, const T *const *biases,
                                   T *const *weight_gradients, T *const *bias_gradients, long m,
                                   const T *x, const T *y, double loss_scale,
                                   double gradient_scale, double *loss) {
  // Lay out the work memory (vectors are 32 bytes; the scratch buffer is 64-byte aligned).
  long widest = 0, vectors = 0;
  for (long l = 0; l <= layer_count; l++) {
    if (l >= 1 && sizes[l] > widest) widest = sizes[l];
    vectors += (l >= 1 ? 2 : 1) * TILE_VECTORS * sizes[l];
    if (l >= 1) vectors += sizes[l] * sizes[l - 1] + sizes[l];
  }
  vectors += (2 * widest + sizes[layer_count]) * TILE_VECTORS;
  VEC *next = nn_thread_scratch((size_t)vectors * sizeof(VEC));
  if (next == NULL) return 0;
  NAME(step_memory) memory;
  for (long l = 0; l <= layer_count; l++) {
    memory.a[l] = next;
    next += TILE_VECTORS * sizes[l];
    if (l == 0) continue;
    memory.z[l] = kinds[l - 1] == NN_ACT_IDENTITY ? memory.a[l] : next;
    if (kinds[l - 1] != NN_ACT_IDENTITY) next += TILE_VECTORS * sizes[l];
    memory.weight_sums[l - 1] = next;
    next += sizes[l] * sizes[l - 1];
    memory.bias_sums[l - 1] = next;
    next += sizes[l];
    for (VEC *sum = memory.weight_sums[l - 1]; sum < next; sum++) *sum = (T)0;
  }
  memory.gradient[0] = next;
  memory.gradient[1] = next + TILE_VECTORS * widest;
  memory.targets = next + 2 * TILE_VECTORS * widest;

  // Tiles of TILE_VECTORS vectors, then one of TILE_VECTORS / 2 if that many are left, then of 1
  // for the rest (the last one possibly partial).
  DVEC squares = 0;
  T scale = (T)gradient_scale;
  long first = 0;
  for (; first + TILE_VECTORS * LANES <= m; first += TILE_VECTORS * LANES)
    NAME(step_tile)(layer_count, sizes, kinds, weights, biases, x, y, first, TILE_VECTORS * LANES,
                    scale, &memory, &squares, TILE_VECTORS);
  if (first + TILE_VECTORS / 2 * LANES <= m) {
    NAME(step_tile)(layer_count, sizes, kinds, weights, biases, x, y, first,
                    TILE_VECTORS / 2 * LANES, scale, &memory, &squares, TILE_VECTORS / 2);
    first += TILE_VECTORS / 2 * LANES;
  }
  for (; first < m; first += LANES)
    NAME(step_tile)(layer_count, sizes, kinds, weights, biases, x, y, first,
                    m - first < LANES ? m - first : LANES, scale, &memory, &squares, 1);

  // The sums across lanes: the gradients and the loss.
  for (long l = 1; l <= layer_count; l++) {
    for (long i = 0; i < sizes[l] * sizes[l - 1]; i++)
      weight_gradients[l - 1][i] = NAME(lane_sum)(&memory.weight_sums[l - 1][i]);
    if (biases[l - 1] != NULL)
      for (long j = 0; j < sizes[l]; j++)
        bias_gradients[l - 1][j] = NAME(lane_sum)(&memory.bias_sums[l - 1][j]);
  }
  double total = 0;
  for (int lane = 0; lane < LANES; lane++) total += squares[lane];
  *loss = loss_scale * total;
  return 1;
}
