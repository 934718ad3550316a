import type { StoreFigures, StoreSize } from "../ports/size.js";
import type { RedisConnection } from "./connection.js";
import type { RedisKeys } from "./keys.js";

// The store's figures in Redis: one SCAN of this deployment's keys on every master, each key
// counted by its shape (keys.ts), and the memory every master reports using. Rows expire natively,
// so what SCAN still sees is live.

type Counted = keyof Omit<StoreFigures, "bytes">;

export function redisSize(conn: RedisConnection, keys: RedisKeys, prefix: string): StoreSize {
  const HEX = "[0-9a-f]+";
  const TAGGED = "[^}]+";
  const kinds: [Counted, RegExp][] = [
    ["secrets", shape(keys.secret, HEX)],
    ["receipts", shape(keys.receipt, HEX)],
    ["accounts", shape(keys.account, TAGGED)],
    ["sessions", shape(keys.session, TAGGED)],
  ];
  return {
    measure: () =>
      conn.guard(async () => {
        const figures: StoreFigures = { secrets: 0, receipts: 0, accounts: 0, sessions: 0, bytes: 0 };
        for (const node of await conn.masters()) {
          for await (const batch of node.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
            for (const key of batch as string[]) {
              const kind = kinds.find(([, pattern]) => pattern.test(key))?.[0];
              if (kind !== undefined) figures[kind] += 1;
            }
          }
          const memory = /^used_memory:(\d+)/m.exec(String(await node.info("memory")))?.[1];
          figures.bytes += Number(memory ?? 0);
        }
        return figures;
      }),
  };
}

/** A pattern for the keys `key(id)` makes, `id` matching `idPattern`. */
function shape(key: (id: string) => string, idPattern: string): RegExp {
  const [before = "", after = ""] = key("\0").split("\0");
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${literal(before)}${idPattern}${literal(after)}$`);
}
