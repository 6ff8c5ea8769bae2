// A real OpenID Connect provider (the oidc-provider package) for Lanyard's single sign-on
// tests. It signs people in through its built-in login and consent pages, which the tests
// fill in like a browser would.
//
//   node provider.js PORT
//   OIDC_CLIENTS='[{"client_id":…,"client_secret":…,"redirect_uris":[…]}]'
//   OIDC_USERS='{"anna":{"email":"anna@example.com","email_verified":true}}'
//
// Prints "ready <issuer>" once it listens on 127.0.0.1:PORT.
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS ?? '[]');
const users = JSON.parse(process.env.OIDC_USERS ?? '{}');

const provider = new Provider(issuer, {
  clients,
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  // Put the email into the ID token, as the big providers do.
  conformIdTokenClaims: false,
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, ...(users[id] ?? { email: `${id}@unverified.example`, email_verified: false }) }),
  }),
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['lanyard-test-only'] },
  pkce: { required: () => true },
});
// Test keys and cookies: hide the warnings meant for production deployments.
process.removeAllListeners('warning');

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
