// How costwatch uses glibc's allocator: tuned for many small records handed between threads, and
// freed memory given back before the daemon idles.
#pragma once

namespace costwatch::util {

// Two settings, both measured with bench/kafka_bench.sh (bench/README.md), where a Kafka sink
// allocates ten small blocks per record on the main thread, which librdkafka's broker threads
// batch and the main thread frees in bulk once acknowledged:
// - At most two malloc arenas: the main thread's, and one shared by every other thread
//   (librdkafka's broker threads, the HTTP server's workers), instead of one per thread, up to
//   8 per core, each growing and trimming its own heap.
// - No fastbins: a block freed into one is not merged with its neighbours until some larger
//   request sweeps them all, and that sweep over a batch's worth of blocks made every third run
//   a third slower. Small blocks are still reused at once through the per-thread cache.
// Call first in main(), before any thread starts.
void TuneMalloc();

// Gives the allocator's free memory back to the kernel: an idle daemon should be small.
void ReleaseFreeMemory();

}  // namespace costwatch::util
