// featlearn native addon: module entry point. Each part registers its own functions.
#include <napi.h>

#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void InitLinalg(Napi::Env env, Napi::Object exports);
void InitElementwise(Napi::Env env, Napi::Object exports);
void InitRandom(Napi::Env env, Napi::Object exports);

// glibc's malloc raises its mmap threshold (up to 32 MiB) each time a large mmapped block is freed, after
// which matrices of a few MiB (input chunks, step buffers, float32 weights) come from the heap and their
// memory stays resident after V8 frees them: the peak RSS of a simulation then exceeds its live matrices by
// tens of MiB (measured: 1.60x instead of 1.25x the essential matrices at d = N = 2000, float32). A fixed
// threshold of 1 MiB (which also turns off that dynamic adjustment) keeps every block >= 1 MiB mmapped, so
// freeing it returns the memory at once. An explicit choice by the user (MALLOC_MMAP_THRESHOLD_ or
// GLIBC_TUNABLES) is left alone.
static void FixMmapThreshold() {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
  // Idempotent (every worker thread's instance of the addon calls it; glibc serialises mallopt).
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") || std::getenv("GLIBC_TUNABLES")) return;
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  FixMmapThreshold();
  InitLinalg(env, exports);
  InitElementwise(env, exports);
  InitRandom(env, exports);
  return exports;
}

NODE_API_MODULE(featlearn_native, Init)
