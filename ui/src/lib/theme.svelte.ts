// Light or dark: the system's choice unless the person picked one (kept on this computer).
// The page's root carries the palette in use as `data-theme`, which app.css reads.
export type ThemeChoice = "system" | "light" | "dark";

const KEY = "lanyard.theme";
const systemDark = () => window.matchMedia("(prefers-color-scheme: dark)");

class Theme {
  choice = $state<ThemeChoice>("system");

  /** Reads the stored choice and follows the system from now on. */
  start() {
    const stored = localStorage.getItem(KEY);
    this.choice = stored === "light" || stored === "dark" ? stored : "system";
    systemDark().addEventListener("change", () => this.apply());
    this.apply();
  }

  choose(choice: ThemeChoice) {
    this.choice = choice;
    if (choice === "system") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
    this.apply();
  }

  private apply() {
    const dark = this.choice === "dark" || (this.choice === "system" && systemDark().matches);
    document.documentElement.dataset.theme = dark ? "dark" : "light";
  }
}

export const theme = new Theme();
