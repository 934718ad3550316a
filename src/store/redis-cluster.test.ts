import { after } from "node:test";
import { startRedisCluster } from "../../test/support/redis-cluster.js";
import { storeContract } from "../../test/support/store-contract.js";
import { openRedisStore } from "./redis.js";

// The same contract suite once more, against a real 3-master Redis Cluster: every multi-key
// operation must stay on one slot (hash tags), and purgeExpired must scan every master. Each store
// gets its own key prefix.
const cluster = await startRedisCluster();
let n = 0;

storeContract("redis cluster", async () => {
  const store = await openRedisStore({ url: cluster.url, clusterNodes: cluster.nodes, prefix: `c${n++}` });
  return { store, cleanup: () => store.close() };
});

after(() => cluster.kill());
