import { createRequire } from "node:module";

/** reglab's version, from package.json: two folders up from src/cli (tests) and dist/cli (the bin). */
export const VERSION: string = (createRequire(import.meta.url)("../../package.json") as { version: string })
  .version;
