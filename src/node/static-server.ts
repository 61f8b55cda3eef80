/**
 * A small static file server for the built playground: bound to 127.0.0.1, answering only requests
 * addressed to it by Host (so DNS rebinding cannot reach it), GET and HEAD only,
 * serving files under one directory and nothing else (no listings, no dotfiles, no way out of the
 * root through "..", encoded slashes or symbolic links).
 */
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, resolve, sep } from "node:path";

export const MIME_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

export interface StaticServer {
  readonly server: Server;
  readonly port: number;
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** The directory to serve (its files only). */
  root: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the playground is for this machine only. */
  host?: string;
}

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  // With COEP, the page is cross-origin isolated: its training worker may share memory with helper
  // workers (both cores for one run). Every resource is the server's own, so nothing is blocked.
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

function send(res: ServerResponse, status: number, text: string, head = false): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(head ? undefined : text);
}

/**
 * Maps a request path to a file path inside `root`, or null when it must not be served: not
 * decodable, containing NUL, a backslash, an encoded slash, a "." or ".." segment, or a dotfile.
 * "/" and paths ending in "/" mean that directory's index.html.
 */
export function resolveRequestPath(root: string, rawUrl: string): string | null {
  const pathname = rawUrl.split(/[?#]/, 1)[0];
  if (!pathname.startsWith("/")) return null;
  if (/%2f|%5c/i.test(pathname)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const segments = decoded.split("/").slice(1);
  if (segments.some((s) => s === "." || s === ".." || s.startsWith("."))) return null;
  if (segments.length === 0 || segments[segments.length - 1] === "")
    segments[segments.length - 1] = "index.html";
  if (segments.slice(0, -1).some((s) => s === "")) return null;
  const file = resolve(root, ...segments);
  if (file !== root && !file.startsWith(root + sep)) return null;
  return file;
}

/**
 * The Host headers this server answers: its own address and the loopback names, with its port.
 * A page elsewhere that rebinds its DNS name to 127.0.0.1 sends its own name, and is refused.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = ["127.0.0.1", "localhost", "[::1]", host.includes(":") ? `[${host}]` : host];
  return new Set(names.map((n) => `${n.toLowerCase()}:${port}`));
}

async function handle(
  root: string,
  hosts: ReadonlySet<string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const head = req.method === "HEAD";
  if (!hosts.has((req.headers.host ?? "").toLowerCase())) {
    send(res, 421, "misdirected request: this server answers only http://127.0.0.1 and localhost\n", head);
    return;
  }
  if (req.method !== "GET" && !head) {
    res.setHeader("Allow", "GET, HEAD");
    send(res, 405, "method not allowed\n");
    return;
  }
  const file = resolveRequestPath(root, req.url ?? "/");
  if (!file) {
    send(res, 404, "not found\n", head);
    return;
  }
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    send(res, 404, "not found\n", head);
    return;
  }
  // A symbolic link inside the root must not lead out of it.
  if (!real.startsWith(root + sep)) {
    send(res, 404, "not found\n", head);
    return;
  }
  const info = await stat(real).catch(() => undefined);
  if (!info?.isFile()) {
    send(res, 404, "not found\n", head);
    return;
  }
  const type = MIME_TYPES[extname(real).toLowerCase()] ?? "application/octet-stream";
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "Content-Type": type,
    "Content-Length": info.size,
    // Vite's hashed assets never change; the page itself is always revalidated.
    "Cache-Control": real.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
  });
  if (head) {
    res.end();
    return;
  }
  const stream = createReadStream(real);
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}

/** Starts serving `root`; resolves once listening. */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = await realpath(resolve(options.root));
  const host = options.host ?? "127.0.0.1";
  let hosts: ReadonlySet<string> = new Set();
  const server = createServer((req, res) => {
    handle(root, hosts, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, "internal error\n");
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  return {
    server,
    port,
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
