// How ui/messages compile into typed message functions (src/lib/paraglide, generated, not
// committed): one set of options for the Vite plugin (vite.config.ts: build, tests) and for
// `npm run i18n` (before svelte-check, which runs no Vite plugin).

/** @type {import("@inlang/paraglide-js").CompilerOptions} */
export const i18n = {
  project: "./project.inlang",
  outdir: "./src/lib/paraglide",
  // The language the person picked (kept on this computer), else the system's, else English.
  // `globalVariable` only answers where there is no window: in the unit tests, which switch
  // languages with setLocale.
  strategy: ["localStorage", "preferredLanguage", "globalVariable", "baseLocale"],
  localStorageKey: "lanyard.language",
  // Declarations beside the generated JavaScript, for svelte-check and the editor.
  emitTsDeclarations: true,
  emitReadme: false,
  emitPrettierIgnore: false,
};
