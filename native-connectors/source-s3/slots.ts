/** At most `size` holders at once; the others wait in arrival order. */
export class Slots {
  #taken = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  /** Resolves once a slot is free, with the function that gives it back (calling it twice is harmless). */
  async acquire(): Promise<() => void> {
    while (this.#taken >= this.size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#taken++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#taken--;
      this.#waiting.shift()?.();
    };
  }
}
