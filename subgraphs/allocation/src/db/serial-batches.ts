/**
 * Collects work and hands it on in batches, one batch in flight at a time: what arrives while a
 * batch is on its way goes together as the next one (logon reads, group commits). What arrives
 * in the same turn of the event loop joins the same batch. `send` settles every item itself and
 * never rejects.
 */
export class SerialBatches<T> {
  private waiting: T[] = [];
  private sending = false;
  private scheduled = false;

  constructor(
    private readonly maxSize: number,
    private readonly send: (batch: T[]) => Promise<void>,
  ) {}

  add(item: T): void {
    this.waiting.push(item);
    this.schedule();
  }

  private schedule(): void {
    if (this.sending || this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.sending || this.waiting.length === 0) return;
      const batch = this.waiting.splice(0, this.maxSize);
      this.sending = true;
      void this.send(batch).finally(() => {
        this.sending = false;
        this.schedule();
      });
    });
  }
}
