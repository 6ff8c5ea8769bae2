import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";
import { theme } from "./lib/theme.svelte";
import { language } from "./lib/language.svelte";

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app");
theme.start();
language.start();
export default mount(App, { target });
