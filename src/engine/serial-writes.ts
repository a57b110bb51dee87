/** Read-modify-writes of one file, one after another: two saves at once both land. */
export class SerialWrites {
  private readonly pending = new Map<string, Promise<unknown>>();

  /** Run `work` on `file` after every earlier work on it has settled (whatever its outcome). */
  run<T>(file: string, work: () => Promise<T>): Promise<T> {
    const previous = this.pending.get(file) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => {});
    this.pending.set(file, settled);
    void settled.then(() => {
      if (this.pending.get(file) === settled) this.pending.delete(file);
    });
    return next;
  }
}
