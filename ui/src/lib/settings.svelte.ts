// The app's own switches in the avatar menu: start with the session (off until the person
// turns it on; the system's list of programs started at sign-in holds the answer), and keep
// running in the tray when the window is closed (on by default; null where there is no tray).
import * as ipc from "./ipc";
import type { UiError } from "./generated/UiError";

class Settings {
  startsWithSession = $state(false);
  keepRunning = $state<boolean | null>(null);
  problem = $state<UiError | null>(null);

  load() {
    ipc.startWithSession().then((on) => (this.startsWithSession = on), () => undefined);
    ipc.keepRunning().then((on) => (this.keepRunning = on), () => undefined);
  }

  async startWithSession(on: boolean) {
    await this.change(async () => (this.startsWithSession = await ipc.setStartWithSession(on)));
  }

  async setKeepRunning(on: boolean) {
    await this.change(async () => (this.keepRunning = await ipc.setKeepRunning(on)));
  }

  private async change(apply: () => Promise<unknown>) {
    try {
      await apply();
      this.problem = null;
    } catch (e) {
      this.problem = ipc.problem(e);
    }
  }
}

export const settings = new Settings();
