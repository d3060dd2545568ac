// Bundles the embed script and the iframe app into the directory Maven packages (argument 1, default dist/).
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";

const out = process.argv[2] ?? "dist";
await mkdir(out, { recursive: true });
const common = { bundle: true, minify: true, sourcemap: false, target: ["es2020"], legalComments: "none", logLevel: "warning" };
await build({ ...common, entryPoints: ["src/embed/widget.ts"], outfile: join(out, "widget.js"), format: "iife" });
await build({ ...common, entryPoints: ["src/app/main.ts"], outfile: join(out, "app.js"), format: "iife" });
await copyFile("src/app/index.html", join(out, "index.html"));
await copyFile("src/app/app.css", join(out, "app.css"));
