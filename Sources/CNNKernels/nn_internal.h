// Internal declarations shared by the kernel files (not part of the public contract).
#ifndef NN_INTERNAL_H
#define NN_INTERNAL_H

#include <stddef.h>

#if defined(__x86_64__) || defined(__i386__)
#define NN_X86 1
#else
#define NN_X86 0
#endif

// 1 when the AVX2+FMA code should run: the CPU has it and nn_set_simd_enabled has not turned it off.
int nn_simd_active(void);

// Calls AVX(arguments) where the AVX2+FMA code should run, else PORTABLE(arguments); on other CPUs
// only PORTABLE exists. The entry points of the elementwise and reduction kernels are one line each.
#if NN_X86
#define NN_SIMD_DISPATCH(AVX, PORTABLE, ...) \
  do {                                       \
    if (nn_simd_active())                    \
      AVX(__VA_ARGS__);                      \
    else                                     \
      PORTABLE(__VA_ARGS__);                 \
  } while (0)
#else
#define NN_SIMD_DISPATCH(AVX, PORTABLE, ...) PORTABLE(__VA_ARGS__)
#endif

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
