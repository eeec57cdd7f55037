#include "threads.h"
#include <atomic>

static std::atomic<int> g_threads{static_cast<int>(std::thread::hardware_concurrency() ? std::thread::hardware_concurrency() : 1)};

int featlearn_threads() { return g_threads.load(); }
void featlearn_set_threads(int n) { g_threads.store(n < 1 ? 1 : n); }
