// Force-included (-include) into every addon source on Linux so the binary loads on old glibc and libstdc++.
//
// Linking against a new glibc binds each symbol to its newest version (exp@GLIBC_2.29 since glibc 2.29,
// pthread_once@GLIBC_2.34 since libpthread was merged into libc), and GCC 12's libstdc++ gives
// condition_variable::wait a new version (GLIBCXX_3.4.30). Every one of them still exists in today's
// libraries under its original version, so .symver binds the reference to that one instead: the binary then
// needs at most GLIBC_2.17 and GLIBCXX_3.4.22 (scripts/check-symbols.js enforces it). The pinned versions are
// the same functions except that the old exp/log/pow set errno, which nothing here reads (-fno-math-errno).
//
// Only symbols this addon actually references are listed; add one when scripts/check-symbols.js names it.
#pragma once

#if defined(__linux__) && defined(__has_include)
#if __has_include(<features.h>)
#include <features.h>  // defines __GLIBC__ (and nothing else of note); musl's does not
#endif
#endif

#if defined(__GLIBC__) && (defined(__x86_64__) || defined(__aarch64__))

#if defined(__x86_64__)
#define TG_GLIBC_BASE "GLIBC_2.2.5"
#else
#define TG_GLIBC_BASE "GLIBC_2.17"  // aarch64's first glibc version
#endif

#define TG_PIN(sym, version) __asm__(".symver " #sym "," #sym "@" version)

// Added a new default version with glibc 2.29's faster libm (same results; the old entry points differ only
// in setting errno).
TG_PIN(exp, TG_GLIBC_BASE);
TG_PIN(log, TG_GLIBC_BASE);
TG_PIN(pow, TG_GLIBC_BASE);
TG_PIN(exp2, TG_GLIBC_BASE);
TG_PIN(log2, TG_GLIBC_BASE);
TG_PIN(expf, TG_GLIBC_BASE);
TG_PIN(logf, TG_GLIBC_BASE);
TG_PIN(powf, TG_GLIBC_BASE);
TG_PIN(exp2f, TG_GLIBC_BASE);
TG_PIN(log2f, TG_GLIBC_BASE);

// Moved from libpthread into libc in glibc 2.34 (std::call_once, std::mutex::try_lock, std::thread). On an
// older glibc they resolve in the libpthread.so.0 that node itself links there.
TG_PIN(pthread_once, TG_GLIBC_BASE);
TG_PIN(pthread_mutex_trylock, TG_GLIBC_BASE);
TG_PIN(pthread_create, TG_GLIBC_BASE);
TG_PIN(pthread_join, TG_GLIBC_BASE);
TG_PIN(pthread_detach, TG_GLIBC_BASE);
TG_PIN(pthread_key_create, TG_GLIBC_BASE);
TG_PIN(pthread_getspecific, TG_GLIBC_BASE);
TG_PIN(pthread_setspecific, TG_GLIBC_BASE);

// GCC 12 re-versioned std::condition_variable::wait(unique_lock<mutex>&) (GLIBCXX_3.4.30); the 3.4.11
// entry point, which every libstdc++ since GCC 4.4 exports, does the same wait.
TG_PIN(_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE, "GLIBCXX_3.4.11");

#undef TG_PIN
#undef TG_GLIBC_BASE

#endif
