{
  # One addon; per-ISA sources go into static libraries with their own flags, so the baseline objects
  # never contain AVX code and one binary runs on every x86-64 CPU (dispatch happens at load time).
  # Those libraries exist only on x64: on other architectures (arm64) the baseline kernels are the only ones,
  # auto-vectorised for the target (NEON is part of arm64's baseline).
  "target_defaults": {
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
    "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
    # Exceptions stay enabled for internal C++ (the thread pool guards its tasks), but node-addon-api is
    # built with NAPI_DISABLE_CPP_EXCEPTIONS and every entry point reports errors as JS exceptions.
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y"],
    "cflags": ["-fPIC", "-O3", "-fno-math-errno", "-Wall", "-Wextra"],
    "cflags_cc": ["-std=c++17"],
    "conditions": [
      # Binds old symbol versions so the binary loads on glibc 2.17 / GCC 6's libstdc++ and newer
      # (native/compat/glibc_compat.h; scripts/check-symbols.js checks the result).
      ["OS=='linux'", {"cflags": ["-include", "<(module_root_dir)/native/compat/glibc_compat.h"]}]
    ]
  },
  "targets": [
    {
      "target_name": "tensorgrad",
      "sources": ["<!@(node native/addon/list_sources.js baseline)"],
      "libraries": ["-lpthread"],
      "conditions": [["target_arch=='x64'", {"dependencies": ["tg_avx2", "tg_avx512", "tg_avx512bf16", "tg_amx"]}]]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "tg_avx2",
          "type": "static_library",
          "sources": ["<!@(node native/addon/list_sources.js avx2)"],
          "cflags": ["-mavx2", "-mfma"]
        },
        {
          "target_name": "tg_avx512",
          "type": "static_library",
          "sources": ["<!@(node native/addon/list_sources.js avx512)"],
          "cflags": ["-mavx512f", "-mavx512bw", "-mavx512dq", "-mavx512vl", "-mfma", "-mavx2"]
        },
        {
          "target_name": "tg_avx512bf16",
          "type": "static_library",
          "sources": ["<!@(node native/addon/list_sources.js avx512bf16)"],
          "cflags": ["-mavx512f", "-mavx512bw", "-mavx512dq", "-mavx512vl", "-mavx512bf16", "-mfma", "-mavx2"]
        },
        {
          "target_name": "tg_amx",
          "type": "static_library",
          "sources": ["<!@(node native/addon/list_sources.js amx)"],
          "cflags": ["-mavx512f", "-mavx512bw", "-mavx512dq", "-mavx512vl", "-mavx512bf16", "-mamx-tile", "-mamx-bf16", "-mfma", "-mavx2"]
        }
      ]
    }]
  ]
}
