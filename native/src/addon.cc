// featlearn native addon: module entry point. Each part registers its own functions.
#include <napi.h>

void InitLinalg(Napi::Env env, Napi::Object exports);
void InitElementwise(Napi::Env env, Napi::Object exports);
void InitRandom(Napi::Env env, Napi::Object exports);

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  InitLinalg(env, exports);
  InitElementwise(env, exports);
  InitRandom(env, exports);
  return exports;
}

NODE_API_MODULE(featlearn_native, Init)
