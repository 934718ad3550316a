// A real OpenID Provider on loopback for the single sign-on tests: the maintained oidc-provider
// library, configured here — one confidential client whose redirect URI is the server's callback,
// users by login name with the claims the test gives, the library's development login screen, and
// a grant made at once (no consent screen: the client is this instance's own).
import type { Server } from "node:http";
import Provider from "oidc-provider";
import { freePort } from "./ports.js";

export interface TestUser {
  email: string;
  email_verified: boolean;
  groups?: string[];
}

export interface TestProvider {
  /** The issuer, "http://127.0.0.1:<port>". */
  issuer: string;
  /** Users by the login typed on the provider's screen (any password is accepted). */
  users: Map<string, TestUser>;
  /** The next ID tokens are issued for this audience instead of the client's id (null: the client's). */
  audience: string | null;
  /** Registers the client once the server's address (its callback URL) is known, and listens. */
  start(redirectUri: string): Promise<void>;
  close(): Promise<void>;
}

export const CLIENT_ID = "onetime-test";
export const CLIENT_SECRET = "a-client-secret-for-tests-only-0123456789";

/** A provider on a free port (or `port`); nothing listens until start(). */
export async function createTestProvider(port?: number): Promise<TestProvider> {
  const p = port ?? (await freePort());
  const issuer = `http://127.0.0.1:${p}`;
  let server: Server | null = null;
  const tp: TestProvider = {
    issuer,
    users: new Map(),
    audience: null,
    async start(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
            redirect_uris: [redirectUri],
            grant_types: ["authorization_code"],
            response_types: ["code"],
          },
        ],
        claims: {
          openid: ["sub"],
          email: ["email", "email_verified"],
          profile: ["name"],
          groups: ["groups"],
        },
        scopes: ["openid", "email", "profile", "groups"],
        cookies: { keys: ["test-cookie-key-0123456789abcdef"] },
        features: { devInteractions: { enabled: true } },
        ttl: { IdToken: 600 },
        async findAccount(_ctx: unknown, sub: string) {
          const user = tp.users.get(sub);
          if (user === undefined) return undefined;
          return { accountId: sub, claims: async () => ({ sub, ...user }) };
        },
        // The client is the instance's own: its grant is made without a consent screen.
        async loadExistingGrant(ctx: {
          oidc: { client: { clientId: string }; session: { accountId: string }; params: { scope: string } };
        }) {
          const grant = new provider.Grant({
            clientId: ctx.oidc.client.clientId,
            accountId: ctx.oidc.session.accountId,
          });
          grant.addOIDCScope(ctx.oidc.params.scope);
          grant.addOIDCClaims(["email", "email_verified", "groups"]);
          await grant.save();
          return grant;
        },
      });
      // A wrong audience, when the test asks for one: the token is still signed by the provider.
      const issue = provider.IdToken.prototype.issue;
      provider.IdToken.prototype.issue = function (options) {
        if (tp.audience !== null) {
          const audience = tp.audience;
          this.client = new Proxy(this.client, {
            get: (target, key) => (key === "clientId" ? audience : Reflect.get(target, key, target)),
          });
        }
        return issue.call(this, options);
      };
      server = provider.listen(p, "127.0.0.1");
      await new Promise<void>((resolve, reject) => {
        server?.once("listening", resolve);
        server?.once("error", reject);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (server === null) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return tp;
}
