// Argument parsing for the addon's functions (linalg.cc, network.cc). The first problem throws a JS
// TypeError/RangeError; later calls become no-ops, so a parser reads every argument and checks `failed` once.
#pragma once
#include <napi.h>

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

namespace featlearn_napi {

struct Args {
  const Napi::CallbackInfo& info;
  Napi::Env env;
  std::vector<Napi::Value> keep;  // typed arrays the async worker must keep alive
  bool failed = false;

  explicit Args(const Napi::CallbackInfo& i) : info(i), env(i.Env()) {}

  void TypeFail(const std::string& msg) {
    if (!failed) Napi::TypeError::New(env, msg).ThrowAsJavaScriptException();
    failed = true;
  }
  void RangeFail(const std::string& msg) {
    if (!failed) Napi::RangeError::New(env, msg).ThrowAsJavaScriptException();
    failed = true;
  }
  bool Bool(size_t i, const char* name) {
    if (failed) return false;
    if (!info[i].IsBoolean()) {
      TypeFail(std::string(name) + ": expected a boolean");
      return false;
    }
    return info[i].As<Napi::Boolean>().Value();
  }
  double Num(size_t i, const char* name) {
    if (failed) return 0;
    if (!info[i].IsNumber()) {
      TypeFail(std::string(name) + ": expected a number");
      return 0;
    }
    return info[i].As<Napi::Number>().DoubleValue();
  }
  // A dimension: integer in [0, 2^31 - 1] (LAPACK integers are 32-bit).
  size_t Dim(size_t i, const char* name) {
    double v = Num(i, name);
    if (failed) return 0;
    if (!(v >= 0) || v > 2147483647.0 || std::floor(v) != v) {
      RangeFail(std::string(name) + ": expected an integer from 0 to 2^31-1, got " + std::to_string(v));
      return 0;
    }
    return static_cast<size_t>(v);
  }
  napi_typedarray_type TypeOf(size_t i) {
    if (!info[i].IsTypedArray()) return napi_int8_array;
    return info[i].As<Napi::TypedArray>().TypedArrayType();
  }
  template <class T>
  T* Array(size_t i, const char* name, size_t minLen) {
    if (failed) return nullptr;
    constexpr napi_typedarray_type want = std::is_same_v<T, double> ? napi_float64_array : napi_float32_array;
    if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != want) {
      TypeFail(std::string(name) + ": expected a " + (want == napi_float64_array ? "Float64Array" : "Float32Array"));
      return nullptr;
    }
    auto arr = info[i].As<Napi::TypedArrayOf<T>>();
    if (arr.ElementLength() < minLen) {
      RangeFail(std::string(name) + ": expected at least " + std::to_string(minLen) + " entries, got " + std::to_string(arr.ElementLength()));
      return nullptr;
    }
    keep.push_back(info[i]);
    return arr.Data();
  }
  // Like Array, but null or undefined gives nullptr without failing.
  template <class T>
  T* ArrayOrNull(size_t i, const char* name, size_t minLen) {
    if (info[i].IsNull() || info[i].IsUndefined()) return nullptr;
    return Array<T>(i, name, minLen);
  }
  bool Count(size_t n) {
    if (failed) return false;
    if (info.Length() < n) {
      TypeFail("expected " + std::to_string(n) + " arguments, got " + std::to_string(info.Length()));
      return false;
    }
    return true;
  }
};

}  // namespace featlearn_napi
