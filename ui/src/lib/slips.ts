// The usual slips in sign-in forms, caught before the server sees them: Caps Lock on, a login
// typed in another keyboard layout, an account address pasted as a full URL.

/** Whether Caps Lock is on, from any keyboard or mouse event on the form. */
export function capsLockOn(event: KeyboardEvent | MouseEvent): boolean {
  return typeof event.getModifierState === "function" && event.getModifierState("CapsLock");
}

// The Russian (ЙЦУКЕН) layout over the US one: what the same keys type.
const CYRILLIC = "йцукенгшщзхъфывапролджэячсмитьбю.ё";
const LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm,./`";
const SHIFTED_CYRILLIC = "ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,Ё\"№";
const SHIFTED_LATIN = "QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?~@#";

/**
 * A login typed with the keyboard in another layout, as the person meant it; null when the
 * login has no letters of that layout. Logins are emails or phone numbers, so Cyrillic in
 * them is almost always a slip.
 */
export function otherLayout(login: string): string | null {
  if (!/[а-яё№]/i.test(login)) return null;
  let fixed = "";
  for (const ch of login) {
    let i = CYRILLIC.indexOf(ch);
    if (i >= 0) {
      fixed += LATIN[i];
      continue;
    }
    i = SHIFTED_CYRILLIC.indexOf(ch);
    fixed += i >= 0 ? SHIFTED_LATIN[i] : ch;
  }
  return fixed.toLowerCase();
}

export interface Target {
  /** The server's base URL when the address was pasted as a link to a remote server. */
  server: string | null;
  address: string;
}

/**
 * What the address field means: `acme`, ` Acme `, or a pasted link such as
 * `https://lanyard.example.com/acme` (then the server is the link's origin and the address
 * its last path segment).
 */
export function parseAddress(input: string): Target {
  const text = input.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      const segments = url.pathname.split("/").filter((s) => s.length > 0);
      const last = segments.length > 0 ? decodeURIComponent(segments[segments.length - 1]) : "";
      return { server: url.origin, address: last.toLowerCase() };
    } catch {
      return { server: null, address: text.toLowerCase() };
    }
  }
  return { server: null, address: text.toLowerCase() };
}

/** Whether `address` is a valid account address (the server's rule, for a hint as you type). */
export function validAddress(address: string): boolean {
  return /^[a-z0-9-]{3,40}$/.test(address);
}
