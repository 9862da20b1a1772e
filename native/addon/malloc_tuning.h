#pragma once

namespace tg {

// Keeps freed kernel-output memory resident under glibc (see malloc_tuning.cc); once per process.
void tune_malloc_once();

}  // namespace tg
