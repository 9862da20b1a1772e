#pragma once
// im2col / col2im over a contiguous [n, c, h, w] image (the layout ops behind convolution and pooling).
// Geometry as ts/backend/js/vision.ts: padding is implicit (reads outside the image give `fill`; writes
// outside are dropped) and the output size (oh, ow) is given, so asymmetric padding needs nothing more.
#include <cstdint>

namespace tg {

struct Geom {
  int64_t n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;
};

// cols[plane][i][j][y][x] = image[plane][y·sh − ph + i·dh][x·sw − pw + j·dw] or fill; cols contiguous.
template <class T>
void im2col(const Geom& g, const T* image, T* cols, T fill);

// image[plane][iy][ix] += cols[...] over every in-image position, in the order (i, j, y, x) per plane, so the
// sums are those of the TypeScript kernel bit for bit, whatever the thread count.
template <class T>
void col2im(const Geom& g, const T* cols, T* image);

// Max pooling over the same geometry: out / indices contiguous [n, c, oh, ow]. Each window is scanned row by
// row over its in-image positions; a value wins when it is greater or NaN (so a later NaN beats an earlier
// one), as PyTorch's CPU kernel; the index is iy·w + ix in the plane (the window's first in-image position
// when every value is −∞).
template <class T>
void max_pool2d(const Geom& g, const T* image, T* out, int32_t* indices);

// The max-pool backward: for each of `planes` planes, g_in[p][indices[p][k]] += g[p][k] for k in order (g_in
// zeroed by the caller; every index already checked to lie in [0, in_plane)).
template <class T>
void max_pool2d_backward(int64_t planes, int64_t out_plane, int64_t in_plane, const T* g, const int32_t* indices,
                         T* g_in);

}  // namespace tg
