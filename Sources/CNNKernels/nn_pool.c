// The worker pool behind the threaded matrix products, and per-thread scratch buffers.
//
// Workers are created once, lazily, when a job first needs them. A job is published in `job_word`; a
// waiting worker spins on it for a few tens of microseconds (so back-to-back products start at once)
// and then sleeps on a condition variable (so a busy machine is not fought over: a thread that spins
// forever steals the core another process, or our own caller, needs). Parts are claimed one at a time
// by whoever is free, the caller included, and the caller waits only for parts that were claimed: a
// worker the system has not scheduled does not hold the job up, the caller does its parts instead.
//
// One caller at a time owns the pool (`pool_owner`); a second caller that finds it busy runs its parts
// inline, so calls from several threads at once are safe and never wait on each other.
//
// A pinned job (nn_parallel_parts) gives part p to pool thread p instead, so that what a part works on
// stays in one core's cache from one job to the next; the caller (thread 0) runs part 0 and then any
// part its thread has not taken yet, so a descheduled worker still does not hold the job up.
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

// The calling thread's own count (nn_set_calling_thread_count); 0 = none, the process's count applies.
static _Thread_local int calling_thread_count = 0;

int nn_set_calling_thread_count(int count) {
  int previous = calling_thread_count;
  if (count < 0) count = 0;
  if (count > max_threads) count = max_threads;
  calling_thread_count = count;
  return previous;
}

int nn_thread_count(void) {
  if (calling_thread_count > 0) return calling_thread_count;
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

// The current job's state in one word, so that claiming a part is one compare-and-swap:
//   bits 40-63 generation (bumped per job) | 39 pinned | 32-38 threads allowed | 16-31 parts |
//   0-15 next part (a pinned job publishes next = parts: its parts are claimed in `pinned_claims`).
// A worker may take part `next` only while `next < parts` and its index is below `threads`; the
// owner cannot finish (and reuse the job fields) before every part is done, so a worker that claimed
// a part reads a stable job, and a worker that wakes late finds nothing left and goes back to waiting.
static _Atomic uint64_t job_word = 0;
static _Atomic int parts_done = 0;  // parts of the current job that have finished
// A pinned job's claims: bits 32-63 its generation (as in job_word), bit p set once part p is taken.
static _Atomic uint64_t pinned_claims = 0;
static int sleeping_workers = 0;    // guarded by pool_lock

// The current job: written by the owner before it publishes job_word, read after a claim.
static nn_parallel_body job_body;
static void *job_context;

static int started_workers = 0;  // guarded by pool_owner

static uint64_t word_generation(uint64_t word) { return word >> 40; }
static int word_threads(uint64_t word) { return (int)((word >> 32) & 0x7F); }
static int word_pinned(uint64_t word) { return (int)((word >> 39) & 1); }
static int word_parts(uint64_t word) { return (int)((word >> 16) & 0xFFFF); }
static int word_next(uint64_t word) { return (int)(word & 0xFFFF); }

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
  uint64_t word = atomic_load_explicit(&job_word, memory_order_acquire);
  return word_generation(word) != *(const uint64_t *)seen;
}

static int all_parts_done(const void *parts) {
  return atomic_load_explicit(&parts_done, memory_order_acquire) == *(const int *)parts;
}

// Runs a claimed part and counts it done; returns 1 when it was the job's last part.
static int run_claimed_part(int part, int parts) {
  job_body(job_context, part, parts);
  if (atomic_fetch_add_explicit(&parts_done, 1, memory_order_acq_rel) + 1 != parts) return 0;
  pthread_mutex_lock(&pool_lock);
  pthread_cond_signal(&pool_done);
  pthread_mutex_unlock(&pool_lock);
  return 1;
}

// Takes part `part` of the pinned job of generation `generation`: 1 when it was still free.
static int claim_pinned_part(uint64_t generation, int part) {
  uint64_t claims = atomic_load_explicit(&pinned_claims, memory_order_acquire);
  uint64_t bit = (uint64_t)1 << part;
  for (;;) {
    if ((claims >> 32) != (generation & 0xFFFFFF) || (claims & bit)) return 0;
    if (atomic_compare_exchange_weak_explicit(&pinned_claims, &claims, claims | bit,
                                              memory_order_acq_rel, memory_order_acquire))
      return 1;
  }
}

// A pinned job: thread `index` runs its own part; the owner then runs every part not yet taken.
static void run_pinned_parts(int index, uint64_t word) {
  uint64_t generation = word_generation(word);
  int parts = word_parts(word);
  if (index < parts && claim_pinned_part(generation, index) && run_claimed_part(index, parts))
    return;
  if (index != 0) return;
  for (int part = 1; part < parts; part++)
    if (claim_pinned_part(generation, part) && run_claimed_part(part, parts)) return;
}

// Claims and runs parts of the current job until none is left. `index` is the claimant's place in
// the pool (0 = the owner); only the first `threads` claimants of a job take part.
static void run_parts(int index) {
  uint64_t word = atomic_load_explicit(&job_word, memory_order_acquire);
  if (word_pinned(word)) {
    if (index < word_threads(word)) run_pinned_parts(index, word);
    return;
  }
  for (;;) {
    int parts = word_parts(word), next = word_next(word);
    if (next >= parts || index >= word_threads(word)) return;
    if (!atomic_compare_exchange_weak_explicit(&job_word, &word, word + 1, memory_order_acq_rel,
                                               memory_order_acquire))
      continue;  // `word` now holds the current value; try again
    if (run_claimed_part(next, parts)) return;
    word = atomic_load_explicit(&job_word, memory_order_acquire);
  }
}

static void *worker_main(void *argument) {
  int index = (int)(intptr_t)argument;
  uint64_t seen = word_generation(atomic_load_explicit(&job_word, memory_order_acquire));
  for (;;) {
    run_parts(index);
    if (!spin_until(generation_moved, &seen)) {
      pthread_mutex_lock(&pool_lock);
      sleeping_workers++;
      while (!generation_moved(&seen)) pthread_cond_wait(&pool_wake, &pool_lock);
      sleeping_workers--;
      pthread_mutex_unlock(&pool_lock);
    }
    seen = word_generation(atomic_load_explicit(&job_word, memory_order_acquire));
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
    int failed =
      pthread_create(&thread, &attributes, worker_main, (void *)(intptr_t)(started_workers + 1));
    pthread_attr_destroy(&attributes);
    if (failed) break;
    started_workers++;
  }
  return started_workers + 1;
}

// Without the pool, the whole work is one part (the body gives the same result for any split).
static void run_inline(nn_parallel_body body, void *context) { body(context, 0, 1); }

// Takes the pool for a job of `parts` parts: 1 with `pool_owner` held and workers started, or 0 (the
// caller then runs the work itself) when one thread is all there is or another caller has the pool.
static int take_pool(int parts, int *threads) {
  *threads = nn_thread_count();
  if (parts <= 1 || *threads <= 1 || pthread_mutex_trylock(&pool_owner) != 0) return 0;
  // Workers started for an earlier, larger count stay out: only the first `threads` take part.
  int started = ensure_workers(*threads);
  if (started < *threads) *threads = started;
  if (*threads > 1) return 1;
  pthread_mutex_unlock(&pool_owner);
  return 0;
}

// Publishes a job to the pool taken by take_pool, runs the caller's share, waits for the rest and
// gives the pool back.
static void run_job(int parts, int threads, int pinned, nn_parallel_body body, void *context) {
  job_body = body;
  job_context = context;
  atomic_store_explicit(&parts_done, 0, memory_order_relaxed);
  uint64_t generation = word_generation(atomic_load_explicit(&job_word, memory_order_relaxed)) + 1;
  generation &= 0xFFFFFF;
  uint64_t next = pinned ? (uint64_t)parts : 0;
  uint64_t word = generation << 40 | (uint64_t)pinned << 39 | (uint64_t)threads << 32 |
                  (uint64_t)parts << 16 | next;
  if (pinned) atomic_store_explicit(&pinned_claims, generation << 32, memory_order_relaxed);
  pthread_mutex_lock(&pool_lock);
  atomic_store_explicit(&job_word, word, memory_order_release);
  if (sleeping_workers > 0) pthread_cond_broadcast(&pool_wake);
  pthread_mutex_unlock(&pool_lock);

  run_parts(0);

  if (!spin_until(all_parts_done, &parts)) {
    pthread_mutex_lock(&pool_lock);
    while (atomic_load_explicit(&parts_done, memory_order_acquire) != parts)
      pthread_cond_wait(&pool_done, &pool_lock);
    pthread_mutex_unlock(&pool_lock);
  }
  pthread_mutex_unlock(&pool_owner);
}

void nn_parallel_run(int parts, nn_parallel_body body, void *context) {
  if (parts > 0xFFFF) parts = 0xFFFF;
  int threads;
  if (take_pool(parts, &threads))
    run_job(parts, threads, 0, body, context);
  else
    run_inline(body, context);
}

// The pinned job's body: hands the public callback its part.
typedef struct {
  void (*body)(void *context, long part);
  void *context;
} pinned_job;

static void run_pinned_body(void *context, int part, int parts) {
  (void)parts;
  const pinned_job *job = context;
  job->body(job->context, part);
}

void nn_parallel_parts(long parts, void (*body)(void *context, long part), void *context) {
  pinned_job job = {body, context};
  int threads;
  if (parts >= 1 && parts <= NN_PARALLEL_PARTS_MAX && take_pool((int)parts, &threads)) {
    run_job((int)parts, threads, 1, run_pinned_body, &job);
    return;
  }
  for (long part = 0; part < parts; part++) body(context, part);
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
