{
  # The optional MPI binding, built apart from the main addon (scripts/build-mpi.js, when an MPI compiler
  # wrapper is found) so that tensorgrad.node never links libmpi.
  "targets": [
    {
      "target_name": "tensorgrad_mpi",
      "sources": ["bind_mpi.cc", "comm_thread.cc"],
      "defines": ["NAPI_VERSION=8", "OMPI_SKIP_MPICXX=1", "MPICH_SKIP_MPICXX=1"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y"],
      "cflags": ["-fPIC", "-O2", "-Wall", "-Wextra"],
      "cflags_cc": ["-std=c++17", "<!@(node mpi_flags.js cflags)"],
      "libraries": ["<!@(node mpi_flags.js libs)", "-lpthread"]
    }
  ]
}
