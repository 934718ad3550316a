import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import { isAppError } from "./domain/errors.js";
import type { Store } from "./store/types.js";

/** What actions count, through `deps.metrics?.…()`. */
export interface MetricsSink {
  created(): void;
  revealed(): void;
  burned(): void;
  expired(): void;
  rateLimited(): void;
  storeError(): void;
}

/** The sink plus what the HTTP layer needs: request timings and the scrape. */
export interface Metrics extends MetricsSink {
  /** `route` is the route pattern (never the raw URL, which carries bearer keys) or "unmatched". */
  request(method: string, route: string, status: number, seconds: number): void;
  render(): Promise<string>;
  readonly contentType: string;
}

const PREFIX = "onetime_";

/** One registry per call: each app (and each test) counts on its own. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const counter = (name: string, help: string) =>
    new Counter({ name: `${PREFIX}${name}`, help, registers: [registry] });

  const requests = new Counter({
    name: `${PREFIX}http_requests_total`,
    help: "HTTP requests by method, route pattern and status code",
    labelNames: ["method", "route", "status_code"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: "HTTP request duration by method and route pattern",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const created = counter("secrets_created_total", "Secrets stored (share, create and generate)");
  const revealed = counter("secrets_revealed_total", "Secrets revealed (and so destroyed)");
  const burned = counter("secrets_burned_total", "Secrets burned before being read");
  const expired = counter("secrets_expired_total", "Receipts seen moving to expired");
  const rateLimited = counter("rate_limit_hits_total", "Requests refused by a rate limit or lock");
  const storeErrors = counter("store_errors_total", "Store operations that failed (store unavailable)");

  return {
    created: () => created.inc(),
    revealed: () => revealed.inc(),
    burned: () => burned.inc(),
    expired: () => expired.inc(),
    rateLimited: () => rateLimited.inc(),
    storeError: () => storeErrors.inc(),
    request(method, route, status, seconds) {
      requests.inc({ method, route, status_code: String(status) });
      duration.observe({ method, route }, seconds);
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

/**
 * Wraps a store so that every store_unavailable error is counted, whoever called: actions, the
 * sweeper or the readiness probe. The adapters stay unaware of metrics.
 */
export function countStoreErrors(store: Store, sink: Pick<MetricsSink, "storeError">): Store {
  const ports = new Map<PropertyKey, object>(
    (["secrets", "accounts", "counters", "outbox", "audit", "size"] as const).map((name) => [
      name,
      countErrors(store[name], sink),
    ]),
  );
  return countErrors(store, sink, ports);
}

/**
 * Counts the failures of an object's methods; `ports` are returned in place of its own properties.
 * Each method's counting wrapper is made once, on first use, and handed out again while the method
 * is the same function: every request calls the store several times, and a new closure per call was
 * garbage for nothing.
 */
function countErrors<T extends object>(
  object: T,
  sink: Pick<MetricsSink, "storeError">,
  ports = new Map<PropertyKey, object>(),
): T {
  const wrappers = new Map<
    PropertyKey,
    { method: unknown; counted: (...args: unknown[]) => Promise<unknown> }
  >();
  return new Proxy(object, {
    get(target, prop, receiver) {
      const port = ports.get(prop);
      if (port !== undefined) return port;
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || prop === "close") return value;
      const known = wrappers.get(prop);
      if (known?.method === value) return known.counted;
      const counted = async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (err) {
          if (isAppError(err, "store_unavailable")) sink.storeError();
          throw err;
        }
      };
      wrappers.set(prop, { method: value, counted });
      return counted;
    },
  });
}
