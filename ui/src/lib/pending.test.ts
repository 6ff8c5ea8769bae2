// A form's refusal about one input is said beside it while the form shows that input, and
// under the form otherwise.
import { describe, expect, it } from "vitest";
import { Pending } from "./pending.svelte";
import type { UiError } from "./generated/UiError";

const refusal = (field: string | null): UiError => ({ code: "invalid_input", message: "No.", retry_after: null, field });

describe("Pending", () => {
  it("says a refusal beside the input it names, once that input is on screen", async () => {
    const form = new Pending();
    await form.run(() => Promise.reject(refusal("email")));
    expect(form.general?.field).toBe("email");
    expect(form.about("email")).toBeNull();

    const hide = form.show("email");
    expect(form.general).toBeNull();
    expect(form.about("email")?.message).toBe("No.");
    expect(form.input("email")).toMatchObject({ name: "email", "aria-invalid": "true", "aria-describedby": form.noteId("email") });
    expect(form.about("password")).toBeNull();

    hide();
    expect(form.general?.field).toBe("email");
  });

  it("keeps a refusal about no input, or another one, under the form", async () => {
    const form = new Pending();
    form.show("email");
    await form.run(() => Promise.reject(refusal(null)));
    expect(form.general?.code).toBe("invalid_input");
    await form.run(() => Promise.reject(refusal("address")));
    expect(form.general?.field).toBe("address");
    expect(form.input("email")["aria-describedby"]).toBeUndefined();
  });

  it("takes the refusal back once its input is typed in again", async () => {
    const form = new Pending();
    form.show("email");
    form.show("password");
    await form.run(() => Promise.reject(refusal("email")));
    form.input("password").oninput();
    expect(form.about("email")).not.toBeNull();
    form.input("email").oninput();
    expect(form.problem).toBeNull();
  });

  it("gives the notes of two forms different ids", () => {
    expect(new Pending().noteId("email")).not.toBe(new Pending().noteId("email"));
  });
});
