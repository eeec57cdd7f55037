{
  "targets": [
    {
      "target_name": "featlearn_native",
      "sources": [
        "src/addon.cc",
        "src/linalg.cc",
        "src/elementwise.cc",
        "src/random.cc",
        "src/network.cc",
        "src/threads.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=off", "-fno-math-errno"],
      "conditions": [
        ["OS=='mac'", {
          "defines": ["FEATLEARN_ACCELERATE", "ACCELERATE_NEW_LAPACK"],
          "libraries": ["-framework Accelerate"],
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=c++17", "-ffp-contract=off"]
          }
        }, {
          "cflags_cc": ["<!@(pkg-config --cflags openblas lapacke)"],
          "libraries": ["<!@(pkg-config --libs openblas lapacke)"]
        }]
      ]
    }
  ]
}
