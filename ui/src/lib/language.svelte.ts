// The UI's language: the one the person picked (kept on this computer), else the system's
// (`navigator.languages`: Russian for "ru…", else English), else English. Paraglide's runtime
// resolves it with the strategy of i18n.config.js; `current` mirrors it as state, because
// switching never reloads the page (the window keeps its tabs, forms and sign-ins): App.svelte
// renders again under `{#key language.current}`. The shell is told each language, so that the
// server's refusals (problem details) come in it.
import * as ipc from "./ipc";
import type { Language } from "./generated/Language";
import type { TabRef } from "./generated/TabRef";
import { baseLocale, getLocale, localStorageKey, setLocale } from "./paraglide/runtime";

/** The languages offered, each named in itself (`lang` for screen readers). */
export const LANGUAGES: readonly Language[] = ["en", "ru"];

class CurrentLanguage {
  current = $state<Language>(baseLocale);
  /** Settles once the shell knows the language (never rejects): the first requests wait for it. */
  told: Promise<void> = Promise.resolve();

  start() {
    // The runtime writes its first answer back to every strategy, localStorage included; a
    // system language is no pick, so it is forgotten again and a change of the system's
    // language is followed on the next start.
    const picked = localStorage.getItem(localStorageKey) !== null;
    const resolved = getLocale();
    if (!picked) localStorage.removeItem(localStorageKey);
    this.show(resolved);
  }

  /**
   * The person picks `next`. With `profile`, it becomes that profile's language first (its
   * mails and SMS follow it), so that a profile page loading meanwhile cannot bring the old one
   * back; a refusal then leaves the UI as it was and is thrown.
   */
  async choose(next: Language, profile: TabRef | null = null) {
    if (profile) await ipc.updateMe(profile, { language: next, apply_to_accounts: false });
    if (next !== this.current) {
      setLocale(next, { reload: false });
      this.show(next);
    }
  }

  /** A profile loaded with a language of its own (picked on another computer, say): the UI
   * follows it. */
  adopt(language: Language | null) {
    if (language !== null && language !== this.current) void this.choose(language);
  }

  private show(language: Language) {
    this.current = language;
    document.documentElement.lang = language;
    this.told = ipc.setLanguage(language).catch((e: unknown) => {
      console.warn("The shell did not take the language; the server answers in English.", e);
    });
  }
}

export const language = new CurrentLanguage();

/** A moment as the UI's language writes a date and time. */
export function dateTime(when: Date): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: "medium", timeStyle: "short" }).format(when);
}
