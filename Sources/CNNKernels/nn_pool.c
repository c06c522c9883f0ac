// The worker pool behind the threaded matrix products, and per-thread scratch buffers.
//
// Workers are created once, lazily, when a job first needs them. A job is published by bumping
// `generation`; a waiting worker spins on it for a few tens of microseconds (so back-to-back products
// start at once) and then sleeps on a condition variable (so a busy machine is not fought over: a
// thread that spins forever steals the core another process, or our own caller, needs). The caller
// runs part 0 itself and waits for the others the same way: a short spin, then a sleep.
//
// One caller at a time owns the pool (`pool_owner`); a second caller that finds it busy runs its work
// inline as a single part, so calls from several threads at once are safe and never wait on each other.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nn_internal.h"
#include "nn_kernels.h"

enum {
  max_threads = 64,
  spin_nanoseconds = 40000,  // how long a waiting thread spins before it sleeps
};

// 0 = the default (the cores this process may run on).
static _Atomic int configured_threads = 0;

static int default_thread_count(void) {
  int count = 0;
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) count = CPU_COUNT(&set);
#endif
  if (count < 1) count = (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (count < 1) count = 1;
  return count > max_threads ? max_threads : count;
}

void nn_set_thread_count(int count) {
  if (count < 1) count = 1;
  if (count > max_threads) count = max_threads;
  atomic_store_explicit(&configured_threads, count, memory_order_relaxed);
}

int nn_thread_count(void) {
  int count = atomic_load_explicit(&configured_threads, memory_order_relaxed);
  if (count == 0) {
    count = default_thread_count();
    int expected = 0;
    atomic_compare_exchange_strong(&configured_threads, &expected, count);
  }
  return count;
}

// MARK: - The pool

static pthread_mutex_t pool_owner = PTHREAD_MUTEX_INITIALIZER;  // held while a caller's job runs
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;   // guards the two sleeps below
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;     // workers sleep here for a job
static pthread_cond_t pool_done = PTHREAD_COND_INITIALIZER;     // the caller sleeps here for the end

static _Atomic unsigned long generation = 0;  // bumped once per job (release publishes the job)
static _Atomic int unfinished = 0;            // workers that have not yet finished the current job
static int sleeping_workers = 0;              // guarded by pool_lock

// The current job: written by the owner before bumping `generation`, read by workers after seeing it.
static nn_parallel_body job_body;
static void *job_context;
static int job_parts;

static int started_workers = 0;  // guarded by pool_owner
static unsigned long worker_first_generation[max_threads];  // written before each pthread_create

static void cpu_relax(void) {
#if NN_X86
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static long long monotonic_nanoseconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

// Spins until `done(argument)` or the spin time is over; returns whether `done` became true.
static int spin_until(int (*done)(const void *), const void *argument) {
  long long start = monotonic_nanoseconds();
  for (int i = 1;; i++) {
    if (done(argument)) return 1;
    cpu_relax();
    if ((i & 255) == 0 && monotonic_nanoseconds() - start > spin_nanoseconds) return 0;
  }
}

static int generation_moved(const void *seen) {
  return atomic_load_explicit(&generation, memory_order_acquire) != *(const unsigned long *)seen;
}

static int all_finished(const void *unused) {
  (void)unused;
  return atomic_load_explicit(&unfinished, memory_order_acquire) == 0;
}

static void *worker_main(void *argument) {
  int index = (int)(intptr_t)argument;
  // The generation before the job this worker was created for (pthread_create orders the write).
  unsigned long seen = worker_first_generation[index];
  for (;;) {
    if (!spin_until(generation_moved, &seen)) {
      pthread_mutex_lock(&pool_lock);
      sleeping_workers++;
      while (atomic_load_explicit(&generation, memory_order_acquire) == seen)
        pthread_cond_wait(&pool_wake, &pool_lock);
      sleeping_workers--;
      pthread_mutex_unlock(&pool_lock);
    }
    seen = atomic_load_explicit(&generation, memory_order_acquire);
    if (index < job_parts) job_body(job_context, index, job_parts);
    if (atomic_fetch_sub_explicit(&unfinished, 1, memory_order_acq_rel) == 1) {
      pthread_mutex_lock(&pool_lock);
      pthread_cond_signal(&pool_done);
      pthread_mutex_unlock(&pool_lock);
    }
  }
  return NULL;
}

// Starts workers 1..<count (the caller is worker 0); returns how many threads the pool now has.
static int ensure_workers(int count) {
  while (started_workers + 1 < count) {
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    worker_first_generation[started_workers + 1] =
      atomic_load_explicit(&generation, memory_order_relaxed);
    int failed =
      pthread_create(&thread, &attributes, worker_main, (void *)(intptr_t)(started_workers + 1));
    pthread_attr_destroy(&attributes);
    if (failed) break;
    started_workers++;
  }
  return started_workers + 1;
}

void nn_parallel_run(int parts, nn_parallel_body body, void *context) {
  if (parts <= 1 || pthread_mutex_trylock(&pool_owner) != 0) {
    body(context, 0, 1);
    return;
  }
  int threads = ensure_workers(parts);
  if (threads < parts) parts = threads;
  if (parts <= 1) {
    pthread_mutex_unlock(&pool_owner);
    body(context, 0, 1);
    return;
  }
  job_body = body;
  job_context = context;
  job_parts = parts;
  atomic_store_explicit(&unfinished, started_workers, memory_order_relaxed);
  pthread_mutex_lock(&pool_lock);
  atomic_fetch_add_explicit(&generation, 1, memory_order_release);
  if (sleeping_workers > 0) pthread_cond_broadcast(&pool_wake);
  pthread_mutex_unlock(&pool_lock);

  body(context, 0, parts);

  if (!spin_until(all_finished, NULL)) {
    pthread_mutex_lock(&pool_lock);
    while (atomic_load_explicit(&unfinished, memory_order_acquire) != 0)
      pthread_cond_wait(&pool_done, &pool_lock);
    pthread_mutex_unlock(&pool_lock);
  }
  pthread_mutex_unlock(&pool_owner);
}

// MARK: - Per-thread scratch

typedef struct {
  size_t bytes;
  void *memory;
} scratch_buffer;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *value) {
  scratch_buffer *buffer = value;
  free(buffer->memory);
  free(buffer);
}

static void scratch_key_create(void) { pthread_key_create(&scratch_key, scratch_free); }

void *nn_thread_scratch(size_t bytes) {
  pthread_once(&scratch_once, scratch_key_create);
  scratch_buffer *buffer = pthread_getspecific(scratch_key);
  if (buffer == NULL) {
    buffer = calloc(1, sizeof *buffer);
    if (buffer == NULL) return NULL;
    pthread_setspecific(scratch_key, buffer);
  }
  if (buffer->bytes < bytes) {
    free(buffer->memory);
    buffer->memory = NULL;
    buffer->bytes = 0;
    void *memory = NULL;
    if (posix_memalign(&memory, 64, bytes) != 0) return NULL;
    buffer->memory = memory;
    buffer->bytes = bytes;
  }
  return buffer->memory;
}
