// libFuzzer's driver, when the binary is linked with -sanitize=fuzzer; nothing to link otherwise.
//
// SwiftPM gives every executable its own `main`, which hides the one in libFuzzer's runtime, so the fuzz targets
// start the driver themselves. The reference is weak: a build without -sanitize=fuzzer still links, the address is
// NULL, and the target replays the files it is given instead.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size))
    __attribute__((weak));

// Whether libFuzzer is linked into this binary.
static inline bool c_attest_libfuzzer_linked(void) {
    return LLVMFuzzerRunDriver != NULL;
}

// Runs libFuzzer over the process's arguments; call only when c_attest_libfuzzer_linked() is true.
static inline int c_attest_run_libfuzzer(
    int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size)) {
    return LLVMFuzzerRunDriver(argc, argv, callback);
}
