/**
 * The lecture seed (/work/shared/seeds/lecture-learning-and-autograd.txt): a sigmoid neuron on the 12×2
 * dataset. The seed has two versions of X (row 7 is [-4.0, 0.1] on the slides, [4.0, 0.1] in the
 * SimpleDataset code); the printed losses tensor(2673.9028) and tensor(0.2254) come from each in turn.
 */
import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { flat } from "../support/tensors";
import { expectRef, ref, type LectureRef } from "./reference";

type T = tg.Tensor;
const model = (X: T, W: T, b: T): T => tg.sigmoid(tg.sum(X.mul(W), 1).add(b));
const lossFn = (yPred: T, y: T): T => tg.square(yPred.sub(y)).mean();

/** The lecture's hand-written gradient (Training with Backpropagation 1/3). */
function gradient(W: T, b: T, X: T, y: T): [T, T] {
  const yPred = model(X, W, b);
  const dlDy = yPred.sub(y).mul(2).unsqueeze(-1);
  const dyDf = 1.0;
  const z = tg.sum(X.mul(W), -1).add(b);
  const dsDz = tg.sigmoid(z).mul(tg.sigmoid(z).neg().add(1.0)).unsqueeze(-1);
  const WGrad = tg.mean(dlDy.mul(dyDf).mul(dsDz).mul(X), 0);
  const bGrad = tg.mean(dlDy.mul(dyDf).mul(dsDz).mul(1.0), 0);
  return [WGrad, bGrad];
}

function setup(r: LectureRef) {
  const X = tg.tensor(r.X);
  let y = tg.tensor(r.y);
  if (r.scale !== 1) y = y.mul(r.scale);
  const W = tg.ones([2], { requiresGrad: true });
  const b = tg.zeros([1], { requiresGrad: true });
  return { X, y, W, b };
}

for (const [label, r] of Object.entries(ref.lecture) as [string, LectureRef][]) {
  describe(`lecture neuron (${label}: loss ${r.lossStr})`, () => {
    it("predictions and loss match PyTorch, and print as the lecture shows", () => {
      const { X, y, W, b } = setup(r);
      const yPred = model(X, W, b);
      expect([...yPred.shape]).toEqual([12]);
      expectRef(flat(yPred), r.yPred, 2e-6, "yPred");
      expect(yPred.detach().toString()).toBe(r.yPredStr);
      const loss = lossFn(yPred, y);
      expect([...loss.shape]).toEqual([]);
      expectRef([loss.item()], [r.loss], 2e-6, "loss");
      expect(loss.detach().toString()).toBe(r.lossStr);
    });

    it("autograd's W.grad and b.grad match PyTorch", () => {
      const { X, y, W, b } = setup(r);
      lossFn(model(X, W, b), y).backward();
      expect([...W.grad!.shape]).toEqual([2]);
      expect([...b.grad!.shape]).toEqual([1]);
      expectRef(flat(W.grad!), r.WGrad, 1e-5, "W.grad");
      expectRef(flat(b.grad!), r.bGrad, 1e-5, "b.grad");
    });

    it("the hand-written gradient equals autograd's W.grad and b.grad", () => {
      const { X, y, W, b } = setup(r);
      lossFn(model(X, W, b), y).backward();
      const [WGrad, bGrad] = tg.noGrad(() => gradient(W, b, X, y));
      expectRef(flat(WGrad), flat(W.grad!), 1e-5, "hand W grad vs autograd");
      expectRef(flat(bGrad), flat(b.grad!), 1e-5, "hand b grad vs autograd");
    });

    it("1000 epochs of the lecture's autograd loop (lr 0.01) follow PyTorch's losses and end at its W, b", () => {
      const { X, y, W, b } = setup(r);
      const trace: number[] = [];
      for (let epoch = 0; epoch < 1000; epoch++) {
        const loss = lossFn(model(X, W, b), y);
        loss.backward();
        if (epoch % 100 === 0) trace.push(loss.item());
        tg.noGrad(() => {
          W.sub_(W.grad!.mul(0.01));
          b.sub_(b.grad!.mul(0.01));
        });
        W.grad = null;
        b.grad = null;
      }
      expectRef(trace, r.lossEvery100, 1e-4, "loss every 100 epochs");
      expectRef(flat(W), r.WAfter1000, 1e-4, "W after 1000 epochs");
      expectRef(flat(b), r.bAfter1000, 1e-4, "b after 1000 epochs");
    }, 60_000);
  });
}
