// featlearn native addon: module entry point. Each part registers its own functions.
#include <napi.h>

#include <cstdint>
#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__) || defined(__APPLE__)
#include <sys/mman.h>
#include <unistd.h>
#endif

void InitLinalg(Napi::Env env, Napi::Object exports);
void InitElementwise(Napi::Env env, Napi::Object exports);
void InitRandom(Napi::Env env, Napi::Object exports);
void InitNetwork(Napi::Env env, Napi::Object exports);

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

// releaseMemory(typedArray): the caller no longer needs the contents; the whole pages inside the array go
// back to the operating system now (madvise MADV_DONTNEED) instead of when V8's garbage collector gets to
// the array. The array stays valid but its contents are undefined afterwards (on Linux the released pages
// read as 0); the partial pages at its two ends (shared with other allocations) are left alone. Returns the
// number of bytes released.
static Napi::Value ReleaseMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) {
    Napi::TypeError::New(env, "releaseMemory: expected a typed array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto a = info[0].As<Napi::TypedArray>();
  double released = 0;
#if defined(__linux__) || defined(__APPLE__)
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t begin = reinterpret_cast<uintptr_t>(static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset());
  const uintptr_t end = begin + a.ByteLength();
  const uintptr_t lo = (begin + page - 1) / page * page, hi = end / page * page;
  if (hi > lo && madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED) == 0) released = static_cast<double>(hi - lo);
#endif
  return Napi::Number::New(env, released);
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  FixMmapThreshold();
  exports.Set("releaseMemory", Napi::Function::New(env, ReleaseMemory, "releaseMemory"));
  InitLinalg(env, exports);
  InitElementwise(env, exports);
  InitRandom(env, exports);
  InitNetwork(env, exports);
  return exports;
}

NODE_API_MODULE(featlearn_native, Init)
