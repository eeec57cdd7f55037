// Thread count shared by the elementwise and random kernels (BLAS threads are set alongside it).
// parallel_for splits [0, n) into at most featlearn_threads() contiguous chunks of at least min_chunk
// items and runs f(begin, end) on each, the first chunk on the calling thread. Results must not depend
// on the number of chunks (every kernel here is elementwise or counter-based).
#pragma once
#include <cstddef>
#include <thread>
#include <vector>

int featlearn_threads();
void featlearn_set_threads(int n);

template <class F>
void parallel_for(size_t n, size_t min_chunk, F f) {
  size_t threads = static_cast<size_t>(featlearn_threads());
  if (min_chunk == 0) min_chunk = 1;
  size_t max_by_size = n / min_chunk;
  if (max_by_size < threads) threads = max_by_size;
  if (threads <= 1) {
    f(size_t(0), n);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  size_t chunk = (n + threads - 1) / threads;
  for (size_t t = 1; t < threads; t++) {
    size_t b = t * chunk, e = b + chunk < n ? b + chunk : n;
    if (b >= e) break;
    pool.emplace_back([=]() { f(b, e); });
  }
  f(size_t(0), chunk < n ? chunk : n);
  for (auto& th : pool) th.join();
}
