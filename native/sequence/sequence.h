#pragma once
// Fused kernels of the sequence layers (ts/backend/js/sequence.ts is the reference, same formulas and order):
// LayerNorm forward/backward over the rows of a contiguous [rows, cols] matrix, and one LSTM or GRU step's
// gate math forward and backward. Arithmetic in double, one rounding on store (float32 LSTM/GRU activations
// come from the vectorised elementwise sigmoid/tanh, a few ulp from the reference); threaded over rows (the
// weight/bias gradients of LayerNorm over column blocks), each value computed by one thread in a fixed order,
// so the result does not depend on the thread count. Pointers are already offset and range-checked.
#include <cstdint>

namespace tg {

template <class T>
void layer_norm(const T* x, int64_t rows, int64_t cols, const T* weight, const T* bias, double eps, T* y, T* mean, T* rstd);

// dx, dweight, dbias may each be null (not wanted).
template <class T>
void layer_norm_backward(const T* g, const T* x, const T* mean, const T* rstd, const T* weight, int64_t rows, int64_t cols,
                         T* dx, T* dweight, T* dbias);

template <class T>
void lstm_cell(const T* gi, const T* gh, const T* c, int64_t n, int64_t h, T* hy, T* cy, T* workspace);

// dh or dc may be null (a zero gradient).
template <class T>
void lstm_cell_backward(const T* dh, const T* dc, const T* workspace, const T* c, const T* cy, int64_t n, int64_t h, T* dgates,
                        T* dc_prev);

template <class T>
void gru_cell(const T* gi, const T* gh, const T* hx, int64_t n, int64_t h, T* hy, T* workspace);

template <class T>
void gru_cell_backward(const T* dh, const T* workspace, const T* hx, int64_t n, int64_t h, T* dgi, T* dgh, T* dh_prev);

// float32 steps use the vectorised sigmoid/tanh of the elementwise kernels (explicit specialisations).
template <>
void lstm_cell<float>(const float* gi, const float* gh, const float* c, int64_t n, int64_t h, float* hy, float* cy, float* workspace);
template <>
void lstm_cell_backward<float>(const float* dh, const float* dc, const float* workspace, const float* c, const float* cy, int64_t n,
                               int64_t h, float* dgates, float* dc_prev);
template <>
void gru_cell<float>(const float* gi, const float* gh, const float* hx, int64_t n, int64_t h, float* hy, float* workspace);

// out = softmax over each row of x + mask row (r mod mask_rows); mask may be null. out may be x itself.
template <class T>
void masked_softmax(const T* x, int64_t rows, int64_t cols, const T* mask, int64_t mask_rows, T* out);

// dx = y·(g − Σ g·y) per row.
template <class T>
void softmax_backward(const T* y, const T* g, int64_t rows, int64_t cols, T* dx);

}  // namespace tg
