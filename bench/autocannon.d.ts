// The part of autocannon's programmatic API that bench/load-autocannon.ts uses (it ships no types).
declare module "autocannon" {
  interface Histogram {
    p50: number;
    p99: number;
    max: number;
    total: number;
  }
  interface Result {
    duration: number;
    requests: Histogram;
    latency: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  interface Options {
    url: string;
    connections: number;
    duration: number;
    timeout: number;
    requests: object[];
  }
  export default function autocannon(options: Options): Promise<Result>;
}
