export { Module } from "./module";
export type { StateDict, LoadStateDictResult } from "./module";
export { Parameter } from "./parameter";
export { Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict } from "./containers";
export { Linear } from "./linear";
export type { LinearOptions } from "./linear";
export { Tanh, ReLU, Sigmoid, LeakyReLU, ELU, Softmax, Identity, Flatten } from "./activations";
export { Dropout } from "./dropout";
export { GELU, SiLU, Mish, Softplus, LogSoftmax } from "./activations-more";
export { Embedding } from "./embedding";
export type { EmbeddingOptions } from "./embedding";
export { LayerNorm, RMSNorm } from "./layer-norm";
export { MultiheadAttention, NonDynamicallyQuantizableLinear } from "./attention";
export { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell } from "./rnn";
export type { RNNOptions, RNNBaseOptions, RNNCellOptions } from "./rnn";
export { TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder, causalMask } from "./transformer";
export type { TransformerLayerOptions, EncoderLayerForwardOptions, DecoderLayerForwardOptions, EncoderForwardOptions, DecoderForwardOptions } from "./transformer";
export type { MultiheadAttentionOptions, MhaForwardOptions, SdpaOptions } from "./attention";
export type { LayerNormOptions, RMSNormOptions } from "./layer-norm";
export { MSELoss, L1Loss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss } from "./loss";
export {
  HuberLoss,
  SmoothL1Loss,
  KLDivLoss,
  CosineEmbeddingLoss,
  MarginRankingLoss,
  TripletMarginLoss,
  PoissonNLLLoss,
  GaussianNLLLoss,
  MultiLabelSoftMarginLoss,
} from "./loss-more";
export * as functional from "./functional/index";
export * as init from "./init";
export type { Reduction, LossOptions } from "./functional/loss";
export * as utils from "./utils/index";
export { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d } from "./conv";
export type { ConvModuleOptions, ConvTransposeModuleOptions } from "./conv";
export { MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool1d, AdaptiveAvgPool2d } from "./pooling";
export type { MaxPoolModuleOptions, AvgPoolModuleOptions } from "./pooling";
export { BatchNorm1d, BatchNorm2d, GroupNorm } from "./normalization";
export type { BatchNormModuleOptions, GroupNormModuleOptions } from "./normalization";
export { Upsample, Dropout2d, Unflatten } from "./vision-layers";
export type { UpsampleOptions } from "./vision-layers";
export type { ForwardPreHook, ForwardHook, FullBackwardHook } from "./module-hooks";
export * as parallel from "./parallel/index";
export {
  ConstantPad1d,
  ConstantPad2d,
  ConstantPad3d,
  ZeroPad2d,
  ReflectionPad1d,
  ReflectionPad2d,
  ReflectionPad3d,
  ReplicationPad1d,
  ReplicationPad2d,
  ReplicationPad3d,
} from "./padding";
export type { Padding } from "./padding";
