// A form's request in flight: whether it is busy, and what the shell refused it with. A refusal
// about one input (its `field`: "email", "password", "address"…) is said beside that input
// when the form shows one of that name (a FieldProblem beside it), and under the form
// otherwise (ProblemNote, given `general`).
import { untrack } from "svelte";
import { SvelteMap } from "svelte/reactivity";
import { problem as asProblem, type UiError } from "./ipc";

let forms = 0;

export class Pending {
  busy = $state(false);
  problem = $state<UiError | null>(null);
  /** The inputs on screen that say their refusals beside them, and how many of each. */
  private readonly beside = new SvelteMap<string, number>();
  /** Keeps the ids of what is said beside inputs unique in the window. */
  private readonly prefix = `form-${++forms}`;

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

  /** The refusal said under the form: one that is about no input said beside it. */
  get general(): UiError | null {
    const field = this.problem?.field ?? null;
    return field !== null && this.beside.has(field) ? null : this.problem;
  }

  /** The refusal said beside input `field`, if it is about that input. */
  about(field: string): UiError | null {
    return this.problem?.field === field && this.beside.has(field) ? this.problem : null;
  }

  /** The id of what is said beside input `field`, for the input's `aria-describedby`. */
  noteId(field: string): string {
    return `${this.prefix}-${field}-problem`;
  }

  /**
   * Input `field` says its refusals beside it from now on; returns the undo. Meant for an
   * effect, which this neither reads into nor re-runs: the count is read untracked.
   */
  show(field: string): () => void {
    const add = (step: number) =>
      untrack(() => {
        const count = (this.beside.get(field) ?? 0) + step;
        if (count > 0) this.beside.set(field, count);
        else this.beside.delete(field);
      });
    add(1);
    return () => add(-1);
  }

  /**
   * The attributes of input `field`: its name, its link to the refusal said beside it, and,
   * once it is typed in again, that refusal taken back (it was about what was typed before).
   */
  input(field: string) {
    const refused = this.about(field) !== null;
    return {
      name: field,
      "aria-invalid": refused ? ("true" as const) : undefined,
      "aria-describedby": refused ? this.noteId(field) : undefined,
      oninput: () => {
        if (this.problem?.field === field) this.problem = null;
      },
    };
  }
}
