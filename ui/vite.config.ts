import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { paraglideVitePlugin } from "@inlang/paraglide-js";
import { i18n } from "./i18n.config.js";

// The desktop shell serves ui/dist itself (tauri.conf.json `frontendDist`); no dev server.
export default defineConfig({
  plugins: [svelte(), paraglideVitePlugin(i18n)],
  clearScreen: false,
  build: { target: "safari15", outDir: "dist", emptyOutDir: true },
  test: { include: ["src/**/*.test.ts"] },
});
