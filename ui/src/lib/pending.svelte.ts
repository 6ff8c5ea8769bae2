// A form's request in flight: whether it is busy, and what the shell refused it with.
import { problem as asProblem, type UiError } from "./ipc";

export class Pending {
  busy = $state(false);
  problem = $state<UiError | null>(null);

  /** Runs `action`, busy meanwhile; a refusal lands in `problem`. True when it succeeded. */
  async run(action: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    this.problem = null;
    try {
      await action();
      return true;
    } catch (e) {
      this.problem = asProblem(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
