// Child process for checkpoint-kill.test.ts (run with --import tsx): saves checkpoints to one path forever,
// alternating saveCheckpointSync and saveCheckpoint, each holding a parameter filled with its step number,
// and prints "saved <step>" after each. The parent kills it with SIGKILL at random moments.
import { saveCheckpoint, saveCheckpointSync, nn, noGrad, zeros } from "../../ts/index";

const [target, sizeArg, firstArg] = process.argv.slice(2);
const size = Number(sizeArg);

class Big extends nn.Module {
  w = new nn.Parameter(zeros(size));
}

const model = new Big();

async function main(): Promise<void> {
  for (let step = Number(firstArg); ; step++) {
    noGrad(() => model.w.fill_(step));
    const contents = { model, step, extra: { step, note: "kill test" } };
    if (step % 2 === 0) saveCheckpointSync(target, contents);
    else await saveCheckpoint(target, contents);
    process.stdout.write(`saved ${step}\n`);
  }
}

void main();
