// Signed updates: a local server of the test's own serves an update manifest and a package
// signed with a key the test makes (the Tauri CLI's `signer`, as a release is signed); the app
// (told the manifest and the public key, which only a debug build takes from outside) shows
// "Lanyard 9.9.9 is available"; a package whose signature does not match is thrown away with
// a plain reason; the properly signed one passes the check and is ready to install at a
// restart, or, for a binary not installed from a package, saved in the Downloads folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { click, launch, screenshot, startDriver, stopDriver, textOf, visible, waitFor } from "./harness.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tauri = path.join(root, "ui/node_modules/.bin/tauri");
const work = mkdtempSync(path.join(tmpdir(), "lanyard-update-"));
const signer = (...args) => execFileSync(tauri, ["signer", ...args], { cwd: work, env: { ...process.env, CI: "true" }, stdio: ["ignore", "pipe", "pipe"] });

// The release key, and the package: any bytes do (it is verified, never installed here).
signer("generate", "-w", "release.key", "-p", "", "--ci", "-f");
const pubkey = readFileSync(path.join(work, "release.key.pub"), "utf8").trim();
const PACKAGE = "Lanyard_9.9.9_amd64.deb";
const bytes = Buffer.from(`!<arch>\nan update of ${new Date().toISOString()}\n`);
writeFileSync(path.join(work, PACKAGE), bytes);
signer("sign", "-f", "release.key", "-p", "", path.join(work, PACKAGE));
const signature = readFileSync(path.join(work, `${PACKAGE}.sig`), "utf8").trim();
// A signature of other bytes, by the same key: what a tampered download would carry.
writeFileSync(path.join(work, "other.bin"), "something else");
signer("sign", "-f", "release.key", "-p", "", path.join(work, "other.bin"));
const wrongSignature = readFileSync(path.join(work, "other.bin.sig"), "utf8").trim();

let served = wrongSignature;
let server;
before(async () => {
  server = createServer((request, response) => {
    const base = `http://127.0.0.1:${server.address().port}`;
    if (request.url === "/manifest.json") {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({
        version: "9.9.9",
        notes: "A test release",
        pub_date: "2026-12-06T00:00:00Z",
        platforms: { "linux-x86_64": { url: `${base}/${PACKAGE}`, signature: served } },
      }));
    } else if (request.url === `/${PACKAGE}`) {
      response.end(bytes);
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  await startDriver({ LANYARD_UPDATE_URL: `http://127.0.0.1:${server.address().port}/manifest.json`, LANYARD_UPDATE_PUBKEY: pubkey });
});
after(() => {
  server?.close();
  stopDriver();
});

test("an update is offered, a bad signature refused, a good one accepted", async () => {
  const browser = await launch();
  try {
    await textOf("[data-test=update]", "Lanyard 9.9.9 is available.");
    await click("[data-test=update-download]");
    await textOf("[data-test=update-problem]", "not signed by Lanyard's key");
    await screenshot(browser, "update-refused");

    // The right signature: checked and kept.
    served = signature;
    await browser.refresh();
    await click("[data-test=update-download]");
    const outcome = await waitFor(
      async () => {
        for (const test of ["update-restart", "update-saved", "update-problem"]) {
          if (await browser.$(`[data-test=${test}]`).isExisting()) return test;
        }
        return null;
      },
      { message: "the download's outcome" },
    );
    assert.notEqual(outcome, "update-problem", await browser.$("[data-test=update-problem]").getText().catch(() => ""));
    if (await browser.$("[data-test=update-saved]").isExisting()) {
      const saved = path.join(process.env.XDG_DOWNLOAD_DIR ?? path.join(process.env.HOME, "Downloads"), PACKAGE);
      await textOf("[data-test=update-saved]", saved);
      assert.ok(existsSync(saved) && readFileSync(saved).equals(bytes), "the verified package saved whole");
    } else {
      await visible("[data-test=update-restart]");
    }
    await screenshot(browser, "update-verified");
  } finally {
    await browser.deleteSession();
  }
});
