import { after } from "node:test";
import { startRedis } from "../../test/redis-server.js";
import { storeContract } from "../../test/store-contract.js";
import { openRedisStore } from "./redis.js";

// The same contract suite as SQLite, against a real redis-server spawned on a free port. Each
// store gets its own key prefix, so tests never see each other's rows.
const redis = await startRedis();
let n = 0;

storeContract("redis", async () => {
  const store = await openRedisStore({ url: redis.url, prefix: `t${n++}` });
  return { store, cleanup: () => store.close() };
});

after(() => redis.kill());
