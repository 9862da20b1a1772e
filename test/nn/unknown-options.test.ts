import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { nn } from "../../ts/index";

const bad = { notAnOption: 1 } as never;

describe("an unknown option key is an error naming the key and the accepted ones", () => {
  const makers: [string, () => unknown][] = [
    ["Linear", () => new nn.Linear(2, 2, bad)],
    ["Conv2d", () => new nn.Conv2d(1, 2, 3, bad)],
    ["ConvTranspose2d", () => new nn.ConvTranspose2d(1, 2, 3, bad)],
    ["MaxPool2d", () => new nn.MaxPool2d(2, null, bad)],
    ["AvgPool2d", () => new nn.AvgPool2d(2, null, bad)],
    ["BatchNorm2d", () => new nn.BatchNorm2d(3, bad)],
    ["GroupNorm", () => new nn.GroupNorm(1, 2, bad)],
    ["LayerNorm", () => new nn.LayerNorm(3, bad)],
    ["RMSNorm", () => new nn.RMSNorm(3, bad)],
    ["Embedding", () => new nn.Embedding(3, 2, bad)],
    ["GELU", () => new nn.GELU(bad)],
    ["MultiheadAttention", () => new nn.MultiheadAttention(4, 2, bad)],
    ["TransformerEncoderLayer", () => new nn.TransformerEncoderLayer(4, 2, bad)],
    ["LSTM", () => new nn.LSTM(2, 3, bad)],
    ["GRUCell", () => new nn.GRUCell(2, 3, bad)],
    ["MSELoss", () => new nn.MSELoss(bad)],
    ["CrossEntropyLoss", () => new nn.CrossEntropyLoss(bad)],
    ["HuberLoss", () => new nn.HuberLoss(bad)],
    ["MarginRankingLoss", () => new nn.MarginRankingLoss(bad)],
  ];
  for (const [name, make] of makers) {
    it(name, () => expect(make).toThrow(new RegExp(`^${name} got an unexpected keyword argument 'notAnOption'; accepted options: `)));
  }

  it("a snake_case spelling gets a hint; forwards check their options too", () => {
    expect(() => new nn.Linear(2, 2, { bias_: true } as never)).toThrow(/unexpected keyword argument 'bias_'/);
    expect(() => new nn.LSTM(2, 3, { batch_first: true } as never)).toThrow(/\(did you mean batchFirst\?\)/);
    const mha = new nn.MultiheadAttention(4, 2);
    const x = tg.ones(3, 1, 4);
    expect(() => mha(x, x, x, { attn_mask: null } as never)).toThrow(/MultiheadAttention.forward got an unexpected keyword argument 'attn_mask'/);
    expect(() => new nn.RNN(2, 3, { nonlinearity: "relu" })).not.toThrow();
    expect(() => new nn.LSTM(2, 3, { nonlinearity: "relu" } as never)).toThrow(/'nonlinearity'/);
  });
});
