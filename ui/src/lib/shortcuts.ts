// Tab switching from the keyboard, as in browsers: Ctrl+Tab and Ctrl+Shift+Tab cycle,
// Ctrl+1…8 pick a tab by position, Ctrl+9 picks the last one. (Cmd instead of Ctrl on macOS.)

export interface Keys {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The tab to switch to, or null when the keys are not a tab shortcut. */
export function tabTarget(keys: Keys, count: number, active: number, mac = false): number | null {
  const command = mac ? keys.metaKey : keys.ctrlKey;
  if (count === 0 || keys.altKey) return null;
  // With Shift, X11 reports Tab as ISO_Left_Tab, which some WebKitGTK setups pass on as an
  // "Unidentified" key: the physical key (`code`) is still Tab.
  if (keys.ctrlKey && (keys.key === "Tab" || keys.code === "Tab")) {
    return keys.shiftKey ? (active - 1 + count) % count : (active + 1) % count;
  }
  if (command && !keys.shiftKey && /^[1-9]$/.test(keys.key)) {
    const n = Number(keys.key);
    if (n === 9) return count - 1;
    return n <= count ? n - 1 : null;
  }
  return null;
}
