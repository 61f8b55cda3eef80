import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { resolveRequestPath, type StaticServer, startStaticServer } from "../../src/node/static-server.js";
import { memoryIo } from "../support/io.js";
import { CLI, REPO_ROOT } from "../support/paths.js";

interface Reply {
  status: number;
  type: string | undefined;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw HTTP request: the path goes out exactly as written (fetch would normalize "/../"). */
function get(url: string, path: string, method = "GET", host?: string): Promise<Reply> {
  const { hostname, port } = new URL(url);
  return new Promise((ok, fail) => {
    const headers = host === undefined ? {} : { Host: host };
    const req = request({ host: hostname, port, path, method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () =>
        ok({ status: res.statusCode ?? 0, type: res.headers["content-type"], body, headers: res.headers }),
      );
    });
    req.on("error", fail);
    req.end();
  });
}

let root: string;
let outside: string;
let server: StaticServer;

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), "reglab-playground-"));
  root = join(base, "dist");
  outside = join(base, "secret.txt");
  mkdirSync(join(root, "assets"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<!doctype html><title>pg</title>");
  writeFileSync(join(root, "assets", "app-1234.js"), "console.log(1)");
  writeFileSync(join(root, "assets", "style.css"), "body{}");
  writeFileSync(join(root, ".env"), "SECRET=1");
  writeFileSync(outside, "secret");
  symlinkSync(outside, join(root, "link.txt"));
  server = await startStaticServer({ root });
});

afterAll(async () => {
  await server?.close();
  rmSync(resolve(root, ".."), { recursive: true, force: true });
});

describe("the playground's static server", () => {
  it("listens on 127.0.0.1 only", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((server.server.address() as { address: string }).address).toBe("127.0.0.1");
  });

  it("answers only Host 127.0.0.1, localhost or [::1] with its port: DNS rebinding gets 421", async () => {
    const port = server.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await get(server.url, "/", "GET", host)).status, host).toBe(200);
    }
    for (const host of [
      `evil.example:${port}`,
      "evil.example",
      `127.0.0.1:${port + 1}`,
      "127.0.0.1",
      "localhost",
      `localhost.evil.example:${port}`,
      `127.0.0.1:${port}.evil.example`,
    ]) {
      const r = await get(server.url, "/", "GET", host);
      expect(r.status, host).toBe(421);
      expect(r.body).not.toContain("<title>");
      expect((await get(server.url, "/index.html", "HEAD", host)).status).toBe(421);
    }
    // HTTP/1.0 without any Host header, written on a raw socket.
    const reply = await new Promise<string>((ok, fail) => {
      let text = "";
      const socket = connect(port, "127.0.0.1", () => socket.end("GET / HTTP/1.0\r\n\r\n"));
      socket.setEncoding("utf8");
      socket.on("data", (c) => {
        text += c;
      });
      socket.on("end", () => ok(text));
      socket.on("error", fail);
    });
    expect(reply).toMatch(/^HTTP\/1\.[01] 421 /);
  });

  it("serves the built files with their MIME types", async () => {
    const index = await get(server.url, "/");
    expect(index.status).toBe(200);
    expect(index.type).toBe("text/html; charset=utf-8");
    expect(index.body).toContain("<title>pg</title>");
    expect(index.headers["x-content-type-options"]).toBe("nosniff");
    const js = await get(server.url, "/assets/app-1234.js?v=1");
    expect(js.type).toBe("text/javascript; charset=utf-8");
    expect(js.headers["cache-control"]).toContain("immutable");
    expect((await get(server.url, "/assets/style.css")).type).toBe("text/css; charset=utf-8");
    const head = await get(server.url, "/index.html", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("serves nothing outside the build: traversal, encoded slashes, dotfiles, symlinks out", async () => {
    const attempts = [
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/assets/..%2f..%2fsecret.txt",
      "/..%5csecret.txt",
      "/.env",
      "/link.txt",
      "/assets",
      "/assets/",
      "/missing.js",
      "/%E0%A4%A",
      "//etc/passwd",
      "/index.html%00.js",
    ];
    for (const path of attempts) {
      const r = await get(server.url, path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain("secret");
    }
  });

  it("answers other methods with 405", async () => {
    const r = await get(server.url, "/", "POST");
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe("GET, HEAD");
  });

  it("maps request paths inside the root only", () => {
    expect(resolveRequestPath("/srv/app", "/")).toBe("/srv/app/index.html");
    expect(resolveRequestPath("/srv/app", "/a/b.js?x#y")).toBe("/srv/app/a/b.js");
    expect(resolveRequestPath("/srv/app", "/a/")).toBe("/srv/app/a/index.html");
    expect(resolveRequestPath("/srv/app", "/%61.js")).toBe("/srv/app/a.js");
    for (const bad of ["/../x", "/a/./b", "x", "/a%2fb", "/a\\b", "/.git/config", "//x"]) {
      expect(resolveRequestPath("/srv/app", bad), bad).toBeNull();
    }
  });
});

describe("reglab playground", () => {
  it("serves a build directory, prints its URL and stops on Ctrl+C", async () => {
    const t = memoryIo();
    const done = runCli(["playground", "--no-open", "--dir", root], t.io);
    for (let k = 0; k < 100 && !t.out().includes("http"); k++) await new Promise((r) => setTimeout(r, 20));
    const url = t.out().match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0];
    expect(url).toBeDefined();
    expect((await get(url!, "/")).status).toBe(200);
    t.stop();
    expect(await done).toBe(0);
    await expect(get(url!, "/")).rejects.toThrow();
  });

  it("exits 2 with what to run when the app is not built", async () => {
    const t = memoryIo();
    const code = await runCli(["playground", "--no-open", "--dir", join(root, "nothing-here")], t.io);
    expect(code).toBe(2);
    expect(t.err()).toMatch(/^reglab: the playground is not built: .* \(run `npm run build:web` first\)\n$/);
  });

  it("exits 2 for a bad port or one in use", async () => {
    const t = memoryIo();
    expect(await runCli(["playground", "--no-open", "--port", "70000"], t.io)).toBe(2);
    expect(t.err()).toMatch(/--port.*port number from 1 to 65535/);
    const busy = memoryIo();
    const code = await runCli(
      ["playground", "--no-open", "--dir", root, "--port", String(server.port)],
      busy.io,
    );
    expect(code).toBe(2);
    expect(busy.err()).toMatch(/already in use/);
  });

  const built = existsSync(CLI) && existsSync(join(REPO_ROOT, "web/dist/index.html"));
  (built ? it : it.skip)(
    built
      ? "serves the real build from the installed command"
      : "serves the real build — skipped: run npm run build && npm run build:web first",
    async () => {
      const child = spawn(process.execPath, [CLI, "playground", "--no-open"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      try {
        const url = await new Promise<string>((ok, fail) => {
          let out = "";
          child.stdout.on("data", (c) => {
            out += c;
            const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
            if (m) ok(m[0]);
          });
          child.on("exit", (code) => fail(new Error(`exited with ${code}`)));
        });
        const index = await get(url, "/");
        expect(index.status).toBe(200);
        expect(index.body).toContain("reglab playground");
        const script = index.body.match(/src="\.\/(assets\/[^"]+\.js)"/)?.[1];
        expect(script).toBeDefined();
        expect((await get(url, `/${script}`)).type).toBe("text/javascript; charset=utf-8");
        expect((await get(url, "/../package.json")).status).toBe(404);
      } finally {
        child.kill("SIGINT");
      }
      const code = await new Promise<number | null>((ok) => child.on("exit", ok));
      expect(code).toBe(0);
    },
  );
});
