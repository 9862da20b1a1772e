/**
 * Batches from an async source with bounded read-ahead: a producer pulls items, collates them into
 * batches and queues them, starting a new batch only while fewer than `ahead` wait for the consumer.
 * So reading (and collating) runs whenever the consumer awaits, and never more than `ahead` batches
 * beyond what it has taken. Errors from the source or collate reach the consumer after the batches
 * completed before them, as a rejected next(); an early exit (break, return) closes the source.
 */
export class PrefetchIterator<T, B> implements AsyncIterableIterator<B> {
  private readonly ready: B[] = [];
  private failure: { error: unknown } | null = null;
  private finished = false; // the producer has stopped: source exhausted, failed or closed
  private closed = false; // the consumer returned early
  private wakeProducer: (() => void) | null = null;
  private wakeConsumer: (() => void) | null = null;
  /** Serializes next() calls, so concurrent callers get batches in order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly batchSize: number,
    private readonly dropLast: boolean,
    private readonly collate: (items: T[]) => B,
    private readonly ahead: number,
  ) {
    void this.produce();
  }

  private async produce(): Promise<void> {
    try {
      for (;;) {
        while (this.ready.length >= this.ahead && !this.closed) {
          await new Promise<void>((resolve) => (this.wakeProducer = resolve));
        }
        if (this.closed) return;
        const items: T[] = [];
        let exhausted = false;
        while (items.length < this.batchSize) {
          const r = await this.source.next();
          if (this.closed) return;
          if (r.done) {
            exhausted = true;
            break;
          }
          items.push(r.value);
        }
        if (items.length > 0 && !(exhausted && this.dropLast && items.length < this.batchSize)) {
          this.ready.push(this.collate(items));
          this.notifyConsumer();
        }
        if (exhausted) return;
      }
    } catch (error) {
      if (!this.closed) this.failure = { error };
    } finally {
      this.finished = true;
      this.notifyConsumer();
    }
  }

  private notifyConsumer(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = null;
    wake?.();
  }

  private async take(): Promise<IteratorResult<B>> {
    for (;;) {
      if (this.ready.length > 0) {
        const value = this.ready.shift() as B;
        const wake = this.wakeProducer;
        this.wakeProducer = null;
        wake?.();
        return { value, done: false };
      }
      if (this.failure !== null) {
        const { error } = this.failure;
        this.failure = null;
        this.closed = true;
        throw error;
      }
      if (this.finished || this.closed) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
  }

  next(): Promise<IteratorResult<B>> {
    const result = this.queue.then(() => this.take());
    this.queue = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<B>> {
    if (!this.closed) {
      this.closed = true;
      this.ready.length = 0;
      const wake = this.wakeProducer;
      this.wakeProducer = null;
      wake?.();
      // Close the source (its finally blocks release files) unless it already ended by itself.
      if (!this.finished) await this.source.return?.();
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<B> {
    return this;
  }
}
