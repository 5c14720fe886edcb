#include "util/memory.h"

#include <malloc.h>

namespace costwatch::util {

void TuneMalloc() {
  (void)::mallopt(M_ARENA_MAX, 2);
  (void)::mallopt(M_MXFAST, 0);
}

void ReleaseFreeMemory() {
  (void)::malloc_trim(0);
}

}  // namespace costwatch::util
