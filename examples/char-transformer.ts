/**
 * A small GPT-style character model trained on a real English word list (the `an-array-of-english-words`
 * package, MIT): each word is a sequence ".word." over 27 tokens; token and position embeddings, causal
 * pre-norm self-attention blocks, AdamW with a cosine schedule. It reports the validation loss beside a
 * bigram count model's on the same split, and generates a few new words.
 * `npm run example char-transformer [-- --quick] [--steps N]`
 */
import { join } from "node:path";
import * as tg from "tensorgrad";
import { nn, optim, type Tensor } from "tensorgrad";
import { numberFlag, outDir, quick, type RunOptions } from "./lib/args";
import { Progress } from "./lib/progress";
import { linePlot, thin } from "./lib/svg-plot";

const END = 0; // "." starts and ends every word
const VOCAB = 27;
const CONTEXT = 16;
const IGNORE = -100;

const encode = (w: string): number[] => [END, ...[...w].map((ch) => ch.charCodeAt(0) - 96), END];
const decode = (t: number): string => (t === END ? "." : String.fromCharCode(96 + t));

/** Inputs and next-token targets, padded to CONTEXT with targets the loss ignores. */
function batchOf(words: readonly number[][], rows: readonly number[]): [Tensor, Tensor] {
  const x = new Int32Array(rows.length * CONTEXT);
  const y = new Int32Array(rows.length * CONTEXT).fill(IGNORE);
  rows.forEach((r, i) => {
    const seq = words[r];
    for (let t = 0; t < CONTEXT && t + 1 < seq.length; t++) {
      x[i * CONTEXT + t] = seq[t];
      y[i * CONTEXT + t] = seq[t + 1];
    }
  });
  return [tg.tensor(x, { shape: [rows.length, CONTEXT] }), tg.tensor(y, { shape: [rows.length * CONTEXT] })];
}

class CharTransformer extends nn.Module<[Tensor], Tensor> {
  tok = new nn.Embedding(VOCAB, 64);
  pos = new nn.Embedding(CONTEXT, 64);
  blocks = new nn.TransformerEncoder(
    new nn.TransformerEncoderLayer(64, 4, { dimFeedforward: 256, dropout: 0, activation: "gelu", batchFirst: true, normFirst: true }),
    2,
  );
  norm = new nn.LayerNorm(64);
  head = new nn.Linear(64, VOCAB);
  private readonly positions = tg.arange(CONTEXT, { dtype: "int32" });
  private readonly mask = nn.causalMask(CONTEXT);

  override forward(idx: Tensor): Tensor {
    const x = this.tok(idx).add(this.pos(this.positions));
    return this.head(this.norm(this.blocks(x, { mask: this.mask })));
  }
}

/** Mean negative log-likelihood per predicted character over a split. */
function evaluate(model: CharTransformer, words: readonly number[][]): number {
  return tg.noGrad(() => {
    let total = 0;
    let count = 0;
    for (let at = 0; at < words.length; at += 512) {
      const rows = Array.from({ length: Math.min(512, words.length - at) }, (_, i) => at + i);
      const [x, y] = batchOf(words, rows);
      const n = y.ne(IGNORE).sum().item();
      total += nn.functional.crossEntropy(model(x).reshape(-1, VOCAB), y, { reduction: "sum" }).item();
      count += n;
    }
    return total / count;
  });
}

/** The validation loss of bigram counts from the training split (add-one smoothing): the baseline to beat. */
function bigramLoss(train: readonly number[][], val: readonly number[][]): number {
  const counts = new Float64Array(VOCAB * VOCAB).fill(1);
  for (const w of train) for (let i = 0; i + 1 < w.length && i < CONTEXT; i++) counts[w[i] * VOCAB + w[i + 1]]++;
  const rowSums = new Float64Array(VOCAB);
  for (let a = 0; a < VOCAB; a++) for (let b = 0; b < VOCAB; b++) rowSums[a] += counts[a * VOCAB + b];
  let nll = 0;
  let n = 0;
  for (const w of val) {
    for (let i = 0; i + 1 < w.length && i < CONTEXT; i++) {
      nll -= Math.log(counts[w[i] * VOCAB + w[i + 1]] / rowSums[w[i]]);
      n++;
    }
  }
  return nll / n;
}

function generate(model: CharTransformer, count: number): string[] {
  return tg.noGrad(() =>
    Array.from({ length: count }, () => {
      const seq = [END];
      while (seq.length < CONTEXT) {
        const padded = [...seq, ...new Array<number>(CONTEXT - seq.length).fill(END)];
        const logits = model(tg.tensor(padded, { dtype: "int32" }).reshape(1, CONTEXT)).select(0, 0).select(0, seq.length - 1);
        const next = tg.multinomial(logits.softmax(-1), 1).item();
        if (next === END) break;
        seq.push(next);
      }
      return seq.slice(1).map(decode).join("");
    }),
  );
}

export function main(opts: RunOptions & { steps?: number } = {}): { valLoss: number; bigram: number } {
  const verbose = opts.verbose ?? true;
  const short = opts.quick ?? quick;
  tg.manualSeed(1337);
  const all = (require("an-array-of-english-words") as string[]).filter((w) => /^[a-z]+$/.test(w) && w.length <= CONTEXT - 1);
  const order = tg.randperm(all.length).toArray();
  const words = Array.from(order, (i) => encode(all[i]));
  const nVal = Math.floor(words.length * 0.1);
  const val = words.slice(0, short ? 2000 : nVal);
  const train = words.slice(nVal);
  const steps = opts.steps ?? numberFlag("steps", short ? 60 : 1500);
  const batch = 64;
  const model = new CharTransformer();
  const opt = new optim.AdamW(model.parameters(), { lr: 3e-3, weightDecay: 0.01 });
  const sched = new optim.lrScheduler.CosineAnnealingLR(opt, steps, { etaMin: 3e-4 });
  if (verbose) console.log(`${all.length} words (${train.length} train, ${val.length} val), ${model.parameters().reduce((n, p) => n + p.numel(), 0)} parameters`);
  const progress = new Progress("char-transformer", steps);
  const losses: number[] = [];
  for (let step = 1; step <= steps; step++) {
    const rows = Array.from(tg.randint(0, train.length, [batch]).toArray());
    const [x, y] = batchOf(train, rows);
    const loss = nn.functional.crossEntropy(model(x).reshape(-1, VOCAB), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    sched.step();
    losses.push(loss.item());
    if (verbose) progress.update(step, losses[losses.length - 1]);
  }
  const valLoss = evaluate(model, val);
  const bigram = bigramLoss(train, val);
  if (opts.plots ?? true) {
    const { x, y } = thin(losses);
    linePlot(join(outDir, "char-transformer-loss.svg"), [{ x, y, label: "train loss", color: "#1f77b4" }], {
      title: "char-transformer: training loss (nats/char)",
      xLabel: "step",
      yLabel: "loss",
    });
  }
  if (verbose) console.log(`generated: ${generate(model, 8).join(", ")}`);
  console.log(`val loss: ${valLoss.toFixed(4)} nats/char (bigram baseline: ${bigram.toFixed(4)})`);
  return { valLoss, bigram };
}

if (require.main === module) main({ quick });
