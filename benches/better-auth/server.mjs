// The peer of `crates/server/benches/peer.rs`: better-auth as a team would run it in
// production, beside Lanyard, with the same choices where the two can be set alike:
//   - SQLite through better-sqlite3, in WAL mode (synchronous NORMAL, foreign keys on, a 5 s
//     busy timeout: Lanyard's pragmas);
//   - argon2id at 19 MiB, t=2, p=1 through @node-rs/argon2 (a prebuilt native module that
//     hashes on libuv's thread pool), plugged in as better-auth's own password hash/verify;
//   - email and password sign-in with verified email required, as Lanyard requires it: a
//     sign-up sends a verification mail, and each mail (verification, invitation) is written
//     as one JSON file in `<dir>/outbox` (Lanyard's `--mail-outbox`), without awaiting it;
//   - the organization plugin (an organization and its invitations: Lanyard's account and
//     employees), at most 7 organizations per user as Lanyard allows 7 accounts per profile;
//   - its rate limiting off (the bench turns Lanyard's off too), telemetry off; the rest
//     better-auth's defaults (sessions in the database, read on every request).
//
// `node server.mjs [--port N] [--dir DIR]` (or PEER_PORT, PEER_DIR; port 0 picks a free
// one). Listens on 127.0.0.1, runs better-auth's migrations on `DIR/peer.db`, prints its URL
// once it answers, and exits when stdin closes. Run with NODE_ENV=production.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { hash, verify } from "@node-rs/argon2";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { organization } from "better-auth/plugins/organization";
import Database from "better-sqlite3";

const { values } = parseArgs({
  options: { port: { type: "string" }, dir: { type: "string" } },
});
const port = Number(values.port ?? process.env.PEER_PORT ?? 0);
const dir = values.dir ?? process.env.PEER_DIR;
if (!dir) throw new Error("the folder for the database: --dir DIR or PEER_DIR");

/** `Algorithm.Argon2id` of @node-rs/argon2 (a const enum: no value at run time). */
const ARGON2ID = 2;
const ARGON2 = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

const outbox = path.join(dir, "outbox");
mkdirSync(outbox, { recursive: true });
/** Writes one mail as a file, aside and renamed into place (as Lanyard's outbox does); like
 * Lanyard, the answer does not wait for it. */
function send(mail) {
  const name = path.join(outbox, randomUUID());
  writeFile(`${name}.partial`, JSON.stringify(mail))
    .then(() => rename(`${name}.partial`, `${name}.json`))
    .catch((error) => console.error("the outbox refused a mail", error));
}

const db = new Database(path.join(dir, "peer.db"));
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.pragma("foreign_keys = ON");
db.pragma("busy_timeout = 5000");

// The port is known once listening; better-auth needs its base URL before its first request.
let handle = (_request, response) => {
  response.writeHead(503).end();
};
const server = createServer((request, response) => handle(request, response));
await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}`;

const options = {
  appName: "lanyard-bench-peer",
  baseURL: url,
  secret: randomBytes(32).toString("hex"),
  database: db,
  emailAndPassword: {
    enabled: true,
    requireEmailVerification: true,
    password: {
      hash: (password) => hash(password, ARGON2),
      verify: ({ hash: hashed, password }) => verify(hashed, password),
    },
  },
  emailVerification: {
    sendOnSignUp: true,
    sendVerificationEmail: async ({ user, url: link, token }) =>
      send({ kind: "verify-email", to: user.email, url: link, token }),
  },
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  plugins: [
    organization({
      organizationLimit: 7,
      sendInvitationEmail: async ({ id, email, organization: org }) =>
        send({ kind: "invitation", to: email, organization: org.slug, id }),
    }),
  ],
};
const { runMigrations } = await getMigrations(options);
await runMigrations();
const auth = betterAuth(options);
const authHandler = toNodeHandler(auth);
handle = (request, response) => {
  if (request.url.startsWith("/api/auth/")) return authHandler(request, response);
  response.writeHead(404).end();
};

console.log(url);
process.stdin.on("end", () => {
  server.close();
  db.close();
  process.exit(0);
});
process.stdin.resume();
