/** Keeps the last `max` items: the stderr lines an error report shows. */
export class TailBuffer {
  readonly #items: string[] = [];
  constructor(readonly max = 200) {}
  push(item: string): void {
    this.#items.push(item);
    if (this.#items.length > this.max) this.#items.splice(0, this.#items.length - this.max);
  }
  last(n = this.max): string[] {
    return this.#items.slice(-n);
  }
}
