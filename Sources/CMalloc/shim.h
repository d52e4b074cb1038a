// glibc's allocator tuning (mallopt); part of libc, so nothing to link. Empty where <malloc.h> is absent.
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
