// Guesses that wait for the checks ahead of them (src/actions/attempts.ts) wake here, in this
// process, as soon as one ends; another process's checks are seen by polling the store.

/** Wakes the guesses waiting on a gate in this process when a check on it ends. */
export class CheckWaits {
  readonly #waiting = new Map<string, Set<() => void>>();

  /** Resolves when a check on `gate` ends here, or after `ms`. */
  wait(gate: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.#waiting.get(gate) ?? new Set<() => void>();
      this.#waiting.set(gate, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.#waiting.get(gate) === set) this.#waiting.delete(gate);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  wake(gate: string): void {
    for (const done of [...(this.#waiting.get(gate) ?? [])]) done();
  }
}
