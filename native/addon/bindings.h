#pragma once
// The entry points, one group per file; addon.cc registers them.
#include <node_api.h>

namespace tg {

napi_value js_unary(napi_env env, napi_callback_info info);
napi_value js_binary(napi_env env, napi_callback_info info);
napi_value js_where(napi_env env, napi_callback_info info);
napi_value js_fill(napi_env env, napi_callback_info info);
napi_value js_reduce(napi_env env, napi_callback_info info);
napi_value js_arg_reduce(napi_env env, napi_callback_info info);
napi_value js_softmax(napi_env env, napi_callback_info info);
napi_value js_gemm(napi_env env, napi_callback_info info);
napi_value js_sgd_step(napi_env env, napi_callback_info info);
napi_value js_adam_step(napi_env env, napi_callback_info info);
napi_value js_index_select(napi_env env, napi_callback_info info);
napi_value js_index_add(napi_env env, napi_callback_info info);
napi_value js_gather(napi_env env, napi_callback_info info);
napi_value js_scatter_add(napi_env env, napi_callback_info info);
napi_value js_im2col(napi_env env, napi_callback_info info);
napi_value js_col2im(napi_env env, napi_callback_info info);
napi_value js_max_pool2d(napi_env env, napi_callback_info info);
napi_value js_max_pool2d_backward(napi_env env, napi_callback_info info);
napi_value js_batch_norm_stats(napi_env env, napi_callback_info info);
napi_value js_batch_norm_apply(napi_env env, napi_callback_info info);
napi_value js_batch_norm_backward(napi_env env, napi_callback_info info);
napi_value js_gemm_bf16(napi_env env, napi_callback_info info);
napi_value js_to_half(napi_env env, napi_callback_info info);
napi_value js_from_half(napi_env env, napi_callback_info info);
napi_value js_layer_norm(napi_env env, napi_callback_info info);
napi_value js_layer_norm_backward(napi_env env, napi_callback_info info);
napi_value js_lstm_cell(napi_env env, napi_callback_info info);
napi_value js_lstm_cell_backward(napi_env env, napi_callback_info info);
napi_value js_gru_cell(napi_env env, napi_callback_info info);
napi_value js_gru_cell_backward(napi_env env, napi_callback_info info);
napi_value js_masked_softmax(napi_env env, napi_callback_info info);
napi_value js_softmax_backward(napi_env env, napi_callback_info info);

}  // namespace tg
