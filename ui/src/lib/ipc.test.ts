// ipc.ts is typed by hand over the shell's commands: this keeps the two in step. It reads the
// Rust sources (the `generate_handler!` list of src-tauri/lib.rs and each command's
// parameters in src-tauri/commands) and fails when ipc.ts calls a command the shell does not
// register, misses one it does, or sends arguments other than the command takes.
import { describe, expect, it } from "vitest";
import ipcSource from "./ipc.ts?raw";
import libSource from "../../../src-tauri/lib.rs?raw";

const commandSources = import.meta.glob<string>("../../../src-tauri/commands/*.rs", {
  query: "?raw",
  import: "default",
  eager: true,
});

/** Parameters Tauri fills in itself, not sent by the web view as keys (`Request`: the raw
 * body and headers of a command that takes a file). */
const INJECTED = /^(State|AppHandle|Window|WebviewWindow|Webview|Request<|tauri::)/;

/** Splits `text` at the commas outside brackets. */
function topLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let part = "";
  for (const c of text) {
    if ("<([{".includes(c)) depth++;
    if (">)]}".includes(c)) depth--;
    if (c === "," && depth === 0) {
      parts.push(part);
      part = "";
    } else {
      part += c;
    }
  }
  parts.push(part);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** Tauri's default: a command's `snake_case` parameter is sent as `camelCase`. */
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The commands registered with `generate_handler!`, as `module::name`. */
function registered(lib: string): string[] {
  const list = lib.match(/generate_handler!\s*\[([^\]]*)\]/);
  if (!list) throw new Error("no generate_handler! list in src-tauri/lib.rs");
  return topLevel(list[1]).map((path) => path.replace(/^commands::/, ""));
}

/** Each `#[tauri::command]` of a file: its name and the argument keys the web view sends. */
function commands(source: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const command = /#\[tauri::command\][\s\S]*?pub\s+(?:async\s+)?fn\s+(\w+)\s*\(([\s\S]*?)\)\s*(?:->|\{)/g;
  for (const [, name, params] of source.matchAll(command)) {
    const keys = topLevel(params)
      .map((param) => param.match(/^(?:mut\s+)?(\w+)\s*:\s*([\s\S]+)$/))
      .filter((m): m is RegExpMatchArray => m !== null && !INJECTED.test(m[2]))
      .map((m) => camel(m[1]));
    found.set(name, keys);
  }
  return found;
}

/** Each `invoke("name", { keys })` of ipc.ts: the command and the keys it sends (none for a
 * raw body: `shellInvoke("name", bytes, { headers })`). */
function invoked(ipc: string): Array<[string, string[]]> {
  const call = /(?:invoke|shellInvoke)<[^(]*>\(\s*"(\w+)"\s*(?:,\s*\{([^}]*)\})?/g;
  return [...ipc.matchAll(call)].map(([, name, args]) => [
    name,
    topLevel(args ?? "").map((arg) => arg.split(":")[0].trim()),
  ]);
}

const sorted = (names: Iterable<string>) => [...names].sort();

describe("the parsers", () => {
  it("reads a handler list, parameters and invocations as the sources write them", () => {
    expect(registered("generate_handler![\n  commands::a::one,\n  commands::b::two,\n]")).toEqual([
      "a::one",
      "b::two",
    ]);
    const rust = `#[tauri::command]
pub async fn create_task(
    tab: TabRef,
    assignee_id: Option<String>,
    app: AppHandle,
    shell: State<'_, Shell>,
) -> Answer<Task> {`;
    expect(commands(rust)).toEqual(new Map([["create_task", ["tab", "assigneeId"]]]));
    const ts = `export const x = (t: TabRef) =>
  invoke<Page<Task>>("create_task", { tab: ref(t), assigneeId });
export const y = () => invoke<void>("picking_done");
export const z = (bytes: Uint8Array) => shellInvoke<Profile>("upload_photo", bytes, { headers });`;
    expect(invoked(ts)).toEqual([
      ["create_task", ["tab", "assigneeId"]],
      ["picking_done", []],
      ["upload_photo", []],
    ]);
    const raw = `#[tauri::command]
pub async fn upload_photo(request: Request<'_>, shell: State<'_, Shell>) -> Answer<Profile> {`;
    expect(commands(raw)).toEqual(new Map([["upload_photo", []]]));
  });
});

describe("ipc.ts and the shell's commands", () => {
  const handlers = registered(libSource);
  const defined = new Map<string, string[]>();
  for (const [path, source] of Object.entries(commandSources)) {
    const module = path.replace(/^.*\/(\w+)\.rs$/, "$1");
    for (const [name, keys] of commands(source)) defined.set(`${module}::${name}`, keys);
  }
  const calls = invoked(ipcSource);
  const byName = new Map(sorted(defined.keys()).map((path) => [path.split("::")[1], path]));

  it("registers every command it defines, once", () => {
    expect(handlers.length).toBeGreaterThan(40);
    expect(new Set(handlers).size).toBe(handlers.length);
    expect(sorted(handlers)).toEqual(sorted(defined.keys()));
  });

  it("has one wrapper in ipc.ts for each registered command, and none for others", () => {
    const names = calls.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    expect(sorted(names)).toEqual(sorted(handlers.map((path) => path.split("::")[1])));
  });

  it("sends each command exactly the arguments it takes", () => {
    for (const [name, keys] of calls) {
      const path = byName.get(name);
      expect(path, `ipc.ts invokes ${name}, which is not a command`).toBeDefined();
      expect(sorted(keys), `the arguments of ${name}`).toEqual(sorted(defined.get(path!) ?? []));
    }
  });
});
