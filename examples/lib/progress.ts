/**
 * Progress for long training loops: one rewritten line with loss and rate on a TTY, plain periodic
 * lines otherwise (logs stay readable when piped).
 */
export class Progress {
  private readonly start = performance.now();
  private lastDraw = 0;
  private readonly tty = process.stdout.isTTY === true && process.env.TENSORGRAD_PROGRESS !== "plain";

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly every = Math.max(1, Math.floor(total / 5)),
  ) {}

  update(done: number, loss: number): void {
    const now = performance.now();
    const rate = done / Math.max((now - this.start) / 1000, 1e-9);
    if (this.tty) {
      if (now - this.lastDraw < 100 && done !== this.total) return;
      this.lastDraw = now;
      const width = 24;
      const filled = Math.round((done / this.total) * width);
      const bar = "█".repeat(filled) + "░".repeat(width - filled);
      process.stdout.write(`\r${this.label} ${bar} ${done}/${this.total} loss ${loss.toFixed(5)} ${rate.toFixed(0)} it/s`);
      if (done === this.total) process.stdout.write("\n");
    } else if (done % this.every === 0 || done === this.total) {
      console.log(`${this.label} ${done}/${this.total} loss ${loss.toFixed(5)} (${rate.toFixed(0)} it/s)`);
    }
  }
}
