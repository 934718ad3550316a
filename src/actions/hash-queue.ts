// The queue in front of argon2 (passphrases and web passwords). Each run holds a core for about
// 10 ms, so without a bound one client sending hundreds at once delays every other client's
// passphrase by seconds. Here the work is bounded twice, and shared fairly:
//  - at most `perClient` runs per client (running or waiting); beyond, a fast refusal ("client");
//  - at most `max` runs in all; beyond, a fast refusal ("server"): the server is saturated;
//  - waiting runs are served round robin across clients, so a newcomer waits for one run of each
//    busy client, never for a flooding client's whole backlog.
// The limits come from the configuration (ARGON2_*); the process builds one queue (src/server/runtime.ts).

export interface HashQueueLimits {
  /** Runs at once (the cores given to argon2). */
  concurrency: number;
  /** Runs running or waiting, in all. */
  max: number;
  /** Runs running or waiting, per client. */
  perClient: number;
}

/** A refused run: who is over their share, and a fair guess of when to come back. */
export class QueueFull extends Error {
  constructor(
    readonly scope: "client" | "server",
    readonly retryAfterSeconds: number,
  ) {
    super(`argon2 queue full (${scope})`);
    this.name = "QueueFull";
  }
}

interface Job {
  client: string;
  start: () => void;
}

export class HashQueue {
  readonly #limits: HashQueueLimits;
  /** Waiting jobs by client; the map's order is the round robin's (a served client moves last). */
  readonly #waiting = new Map<string, Job[]>();
  /** Running or waiting runs, per client. */
  readonly #load = new Map<string, number>();
  #running = 0;
  #total = 0;
  /** A moving average of one run's duration, for Retry-After. */
  #runMs = 20;

  constructor(limits: HashQueueLimits) {
    this.#limits = limits;
  }

  /** Runs (running or waiting) in all, and for `client`. */
  load(client?: string): number {
    return client === undefined ? this.#total : (this.#load.get(client) ?? 0);
  }

  /**
   * Runs `job` in `client`'s turn; throws QueueFull at once when its share or the server is full.
   * `bounded: false` waits its turn whatever the load: for work a refusal would leave half done
   * (a new password after its mailed link was used), which other limits keep rare.
   */
  async run<T>(client: string, job: () => Promise<T>, { bounded = true } = {}): Promise<T> {
    const mine = this.load(client);
    if (bounded && mine >= this.#limits.perClient) throw new QueueFull("client", this.#retryAfter(mine));
    if (bounded && this.#total >= this.#limits.max) {
      throw new QueueFull("server", this.#retryAfter(this.#total));
    }
    this.#load.set(client, mine + 1);
    this.#total++;
    try {
      await this.#turn(client);
      const started = performance.now();
      try {
        return await job();
      } finally {
        this.#runMs = this.#runMs * 0.8 + (performance.now() - started) * 0.2;
        this.#running--;
        this.#next();
      }
    } finally {
      const left = (this.#load.get(client) ?? 1) - 1;
      if (left === 0) this.#load.delete(client);
      else this.#load.set(client, left);
      this.#total--;
    }
  }

  /** Seconds until `ahead` runs are done at the current pace; at least 1. */
  #retryAfter(ahead: number): number {
    return Math.max(1, Math.ceil((ahead * this.#runMs) / this.#limits.concurrency / 1000));
  }

  #turn(client: string): Promise<void> {
    if (this.#running < this.#limits.concurrency) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((start) => {
      const queue = this.#waiting.get(client) ?? [];
      queue.push({ client, start });
      this.#waiting.set(client, queue);
    });
  }

  /** Hands the freed slot to the next client in the round, who then goes to the back of it. */
  #next(): void {
    const first = this.#waiting.entries().next();
    if (first.done === true) return;
    const [client, queue] = first.value;
    const job = queue.shift();
    this.#waiting.delete(client);
    if (queue.length > 0) this.#waiting.set(client, queue);
    if (job === undefined) return;
    this.#running++;
    job.start();
  }
}
