import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { startStaticServer } from "../../node/index.js";
import { parseNumber } from "../parse.js";
import { type Io, UsageError } from "../runtime.js";

interface PlaygroundOptions {
  port?: number;
  open: boolean;
  dir?: string;
}

/** web/dist beside the package's dist/ (and src/ when run from source): <repo>/web/dist. */
export function defaultWebDist(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../../web/dist");
}

/** Opens the URL in the desktop's browser, if there is one; failures are ignored. */
function openBrowser(url: string): void {
  const command =
    process.platform === "darwin"
      ? ["open", url]
      : process.platform === "win32"
        ? ["cmd", "/c", "start", "", url]
        : ["xdg-open", url];
  try {
    const child = spawn(command[0], command.slice(1), { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // No browser to open: the printed URL is enough.
  }
}

export function registerPlayground(program: Command, io: Io): void {
  program
    .command("playground")
    .summary("train and regularize live in the browser (serves the built web app)")
    .description(
      "Serve the playground (training in a Web Worker, decision boundary, cost curves, the network, " +
        "compare mode) from 127.0.0.1 and print its URL. Stop with Ctrl+C.",
    )
    .option(
      "--port <n>",
      "port to listen on (default: a free one)",
      parseNumber("a port number from 1 to 65535", (v) => Number.isInteger(v) && v >= 1 && v <= 65535),
    )
    .option("--no-open", "do not open a browser")
    .option("--dir <path>", "serve this build of the web app instead of the bundled web/dist")
    .addHelpText(
      "after",
      `
Examples:
  $ reglab playground                  # opens http://127.0.0.1:<port>/ in your browser
  $ reglab playground --port 8080 --no-open
Build the app first in a clone of the repository: npm run build:web`,
    )
    .action(async (o: PlaygroundOptions) => {
      const root = o.dir ? resolve(o.dir) : defaultWebDist();
      const index = join(root, "index.html");
      if (!existsSync(index) || !statSync(index).isFile()) {
        throw new UsageError(
          `the playground is not built: ${o.dir ? root : "web/dist"} has no index.html (run \`npm run build:web\` first)`,
        );
      }
      let server: Awaited<ReturnType<typeof startStaticServer>>;
      try {
        server = await startStaticServer({ root, ...(o.port !== undefined && { port: o.port }) });
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === "EADDRINUSE") throw new UsageError(`--port ${o.port}: the port is already in use`);
        if (code === "EACCES")
          throw new UsageError(`--port ${o.port}: permission denied (try a port above 1023)`);
        throw e;
      }
      io.out(`reglab playground: ${server.url}\n`);
      io.err("Serving the built web app on 127.0.0.1 only; press Ctrl+C to stop.\n");
      if (o.open) openBrowser(server.url);
      await new Promise<void>((done) => {
        if (io.signal.aborted) done();
        else io.signal.addEventListener("abort", () => done(), { once: true });
      });
      await server.close();
    });
}
