// What the fuzzer aims at and what it sends: the shared types of fuzz/*.ts.

/** What the server gave us to aim at: live keys, a browser's cookies and form token. */
export interface Target {
  host: string;
  secretKeys: string[];
  metadataKeys: string[];
  /** Cookie header of a signed-in browser (session and CSRF cookies). */
  cookie: string;
  csrf: string;
  email: string;
  /** Put in query strings; no log line may ever contain it. */
  mark: string;
  bodyLimit: number;
}

export interface FuzzRequest {
  bytes: Buffer;
  /** The methods of the requests in `bytes`, in order (more than one when pipelined). */
  methods: string[];
  /** Our side ends after writing: the body stops short of its declared length. */
  halfClose: boolean;
}

export const latin1 = (s: string) => Buffer.from(s, "latin1");
export const utf8 = (s: string) => Buffer.from(s, "utf8");
