#ifndef CFUZZERDRIVER_H
#define CFUZZERDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for programs that have their own `main`: runs the fuzzing loop over
/// `callback` with the command-line flags in `argc`/`argv`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// Runs libFuzzer over `callback`: the `main` of every harness.
///
/// SwiftPM links a Linux executable with `--defsym main=<Target>_main`, so a harness built with
/// `-parse-as-library` must define `<Target>_main` itself; it calls this, which hands over to
/// libFuzzer's driver (the same thing libFuzzer's own `main` does).
int nnpipe_fuzz_main(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size));

#endif
