// The desktop bench: Lanyard beside a hello-world Tauri app (the baseline) built with the
// same Tauri and profile and measured in the same run, on the same display:
//   - cold start to the first painted window (WebDriver session + two animation frames after
//     the page's first element is displayed), and for Lanyard to 1 and to 7 restored tabs;
//   - total memory of all the app's processes (PSS: shared pages counted once) with 1 and 7
//     accounts; and of the baseline drawing on the CPU as Lanyard does (like for like);
//   - a tab switch (Ctrl+number → the next frame), against the baseline toggling one element.
// Figures, not assertions. Run by benches/desktop/run inside scripts/keyring-session.
import { readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { command, launch, registerVerified, startDriver, stopDriver, dataDir } from "../../tests/e2e/harness.mjs";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const root = path.resolve(import.meta.dirname, "../..");
const target = process.env.LANYARD_BENCH_TARGET ?? "target/release";
const profile = process.env.LANYARD_BENCH_PROFILE ?? "release";
const lanyard = path.join(root, target, "lanyard");
const hello = path.join(root, target, "examples/hello-tauri");
const PASSWORD = "correct horse battery staple";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const nextFrames = (browser) =>
  browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));

/** PSS in MiB of every process running `binary`, and of their descendants. */
function pss(binary) {
  const procs = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  const parent = new Map();
  const roots = [];
  for (const pid of procs) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      parent.set(pid, stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
      if (cmd === binary) roots.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  const family = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!family.has(pid) && family.has(ppid)) {
        family.add(pid);
        grew = true;
      }
    }
  }
  let kib = 0;
  const byName = {};
  for (const pid of family) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      const own = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      const name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      kib += own;
      byName[name] = (byName[name] ?? 0) + own / 1024;
    } catch {
      // gone meanwhile
    }
  }
  // Where it goes: the app's own process, and WebKit's web and network processes.
  const parts = Object.entries(byName).map(([name, mib]) => `${name} ${mib.toFixed(1)}`).join(", ");
  return { mib: kib / 1024, processes: family.size, parts };
}

async function timed(binary, ready) {
  const start = performance.now();
  const browser = await launch(binary);
  await ready(browser);
  await nextFrames(browser);
  return { browser, ms: performance.now() - start };
}

const helloReady = async (browser) => (await browser.$("#hello")).waitForDisplayed({ timeout: 30_000 });
const lanyardReady = (tabs) => async (browser) => {
  // The window's chrome first; then, when tabs are asked for, those tabs.
  await (await browser.$("header")).waitForDisplayed({ timeout: 30_000 });
  if (tabs === 0) return;
  await browser.waitUntil(async () => (await browser.$$("[data-test=tab]")).length >= tabs, { timeout: 60_000 });
  if (tabs > 1) await (await browser.$("section.page:not([hidden]) [data-test=overview]")).waitForDisplayed({ timeout: 60_000 });
};

/** Registers a profile on the app's built-in server and connects `count` accounts as tabs. */
async function prepareAccounts(count) {
  const browser = await launch(lanyard);
  const server = "local";
  await registerVerified("bench@example.com", PASSWORD);
  await command("sign_in_profile", { server, login: "bench@example.com", password: PASSWORD });
  for (let i = 1; i <= count; i++) await command("picking_create_account", { address: `company-${i}`, name: `Company ${i}` });
  for (let i = 1; i <= count; i++) await command("connect", { server, address: `company-${i}`, login: "bench@example.com", password: PASSWORD });
  await command("picking_done", {});
  await browser.deleteSession();
}

async function tabSwitch(browser, count) {
  return browser.executeAsync((count, done) => {
    const times = [];
    let i = 0;
    const step = () => {
      const key = String((i % count) + 1);
      const start = performance.now();
      window.dispatchEvent(new KeyboardEvent("keydown", { key, ctrlKey: true, bubbles: true }));
      requestAnimationFrame(() => {
        times.push(performance.now() - start);
        if (++i < 40) setTimeout(step, 20);
        else done(times.sort((a, b) => a - b)[times.length >> 1]);
      });
    };
    step();
  }, count);
}

async function helloSwitch(browser) {
  return browser.executeAsync((done) => {
    const times = [];
    const a = document.getElementById("a");
    const b = document.getElementById("b");
    const step = () => {
      const start = performance.now();
      a.hidden = !a.hidden;
      b.hidden = !b.hidden;
      requestAnimationFrame(() => {
        times.push(performance.now() - start);
        if (times.length < 40) setTimeout(step, 20);
        else done(times.sort((x, y) => x - y)[times.length >> 1]);
      });
    };
    step();
  });
}

async function run() {
  await startDriver();
  rmSync(dataDir, { recursive: true, force: true });
  const results = {};
  const sample = async (name, binary, ready, after) => {
    const times = [];
    for (let i = 0; i < ROUNDS; i++) {
      const { browser, ms } = await timed(binary, ready);
      times.push(ms);
      if (i === ROUNDS - 1 && after) await after(browser);
      await browser.deleteSession();
    }
    results[name] = median(times);
  };

  // First paint: the two apps launched in turn, so drift on a shared machine hits both.
  const firstPaint = { hello: [], lanyard: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, binary, ready] of [["hello", hello, helloReady], ["lanyard", lanyard, lanyardReady(0)]]) {
      const { browser, ms } = await timed(binary, ready);
      firstPaint[name].push(ms);
      if (name === "hello" && i === ROUNDS - 1) {
        await new Promise((r) => setTimeout(r, 1500));
        results["hello: memory"] = pss(hello);
        results["hello: switch"] = await helloSwitch(browser);
      }
      await browser.deleteSession();
    }
  }
  results["hello: first paint"] = median(firstPaint.hello);
  results["lanyard: first paint"] = median(firstPaint.lanyard);
  await prepareAccounts(1);
  await sample("lanyard: 1 account", lanyard, lanyardReady(1), async (browser) => {
    await new Promise((r) => setTimeout(r, 1500));
    results["lanyard: memory, 1 account"] = pss(lanyard);
  });
  rmSync(dataDir, { recursive: true, force: true });
  await prepareAccounts(7);
  await sample("lanyard: 7 tabs restored", lanyard, lanyardReady(7), async (browser) => {
    await new Promise((r) => setTimeout(r, 1500));
    results["lanyard: memory, 7 accounts"] = pss(lanyard);
    results["lanyard: switch"] = await tabSwitch(browser, 7);
  });
  // Lanyard's window draws on the CPU (src-tauri/rendering.rs); the baseline once more, made
  // to draw the same way, for memory like for like.
  stopDriver();
  await startDriver({ WEBKIT_DISABLE_COMPOSITING_MODE: "1" });
  const { browser: plain } = await timed(hello, helloReady);
  await new Promise((r) => setTimeout(r, 1500));
  results["hello, drawn on the CPU: memory"] = pss(hello);
  await plain.deleteSession();
  stopDriver();

  const base = results["hello: first paint"];
  const mem = results["hello: memory"].mib;
  const line = (label, value, note) => console.log(`${label.padEnd(44)} ${value.padStart(12)}   ${note}`);
  console.log(`\nDesktop bench (median of ${ROUNDS} launches; ${profile} profile)\n`);
  line("hello-world Tauri: start to first paint", `${base.toFixed(0)} ms`, "baseline");
  line("Lanyard: start to first paint", `${results["lanyard: first paint"].toFixed(0)} ms`, `${(results["lanyard: first paint"] / base).toFixed(2)}x baseline (target <= 1.1x)`);
  line("Lanyard: start to 1 restored tab", `${results["lanyard: 1 account"].toFixed(0)} ms`, `${(results["lanyard: 1 account"] / base).toFixed(2)}x baseline`);
  line("Lanyard: start to 7 restored tabs", `${results["lanyard: 7 tabs restored"].toFixed(0)} ms`, `+${((results["lanyard: 7 tabs restored"] - base) / 1000).toFixed(2)} s over baseline (target <= +0.3 s over first paint: +${((results["lanyard: 7 tabs restored"] - results["lanyard: first paint"]) / 1000).toFixed(2)} s)`);
  line("hello-world Tauri: memory (PSS)", `${mem.toFixed(1)} MiB`, `baseline: ${results["hello: memory"].parts}`);
  for (const k of ["lanyard: memory, 1 account", "lanyard: memory, 7 accounts"]) {
    line(`Lanyard: memory (PSS), ${k.split(", ")[1]}`, `${results[k].mib.toFixed(1)} MiB`, `${(results[k].mib / mem).toFixed(2)}x baseline (target <= 1.2x with 7): ${results[k].parts}`);
  }
  const cpu = results["hello, drawn on the CPU: memory"];
  const seven = results["lanyard: memory, 7 accounts"].mib;
  line("hello-world Tauri drawn on the CPU: memory", `${cpu.mib.toFixed(1)} MiB`, `like for like: Lanyard with 7 accounts ${(seven / cpu.mib).toFixed(2)}x this: ${cpu.parts}`);
  line("hello-world Tauri: toggle to next frame", `${results["hello: switch"].toFixed(1)} ms`, "baseline");
  line("Lanyard: tab switch to next frame", `${results["lanyard: switch"].toFixed(1)} ms`, `${(results["lanyard: switch"] / results["hello: switch"]).toFixed(2)}x baseline (target: within one 16 ms frame)`);
}

run().catch((error) => {
  console.error(error);
  stopDriver();
  process.exit(1);
});
