// The few parts of oidc-provider (which ships no types) that test/support/oidc-provider.ts uses.
declare module "oidc-provider" {
  import type { Server } from "node:http";

  export interface IdTokenInstance {
    client: { clientId: string };
  }
  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    listen(port: number, host: string): Server;
    issuer: string;
    IdToken: {
      prototype: { issue(this: IdTokenInstance, options?: Record<string, unknown>): Promise<string> };
    };
    Grant: new (
      fields: Record<string, unknown>,
    ) => {
      addOIDCScope(scope: string): void;
      addOIDCClaims(claims: string[]): void;
      save(): Promise<string>;
    };
    on(event: string, listener: (...args: unknown[]) => void): void;
  }
  export default Provider;
}
