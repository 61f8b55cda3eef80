/**
 * `redis://[user:pass@]host[:port][/db]` and `rediss://…` (TLS) URLs, parsed strictly: a typo in a
 * queue URL should stop the command with one line, not connect somewhere else.
 */

/** A queue URL that cannot be used; the message says what is wrong (never the password). */
export class QueueUrlError extends RangeError {
  override name = "QueueUrlError";
}

export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** rediss://: connect with TLS, checking the server's certificate against `host`. */
  tls: boolean;
}

export const DEFAULT_REDIS_PORT = 6379;

export function parseQueueUrl(raw: string): QueueAddress {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new QueueUrlError(`--queue: expected redis://[user:pass@]host:port[/db], got '${redactUrl(raw)}'`);
  }
  const shown = redactUrl(raw);
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new QueueUrlError(`--queue: expected a redis:// or rediss:// URL, got '${shown}'`);
  }
  if (url.hostname === "") throw new QueueUrlError(`--queue: '${shown}' names no host`);
  if (url.search || url.hash) {
    throw new QueueUrlError(`--queue: '${shown}' has a query or fragment; options are flags, not URL parts`);
  }
  const port = url.port === "" ? DEFAULT_REDIS_PORT : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new QueueUrlError(`--queue: port must be 1–65535 in '${shown}'`);
  }
  const path = url.pathname.replace(/^\//, "");
  if (path !== "" && !/^\d{1,5}$/.test(path)) {
    throw new QueueUrlError(
      `--queue: the path of '${shown}' must be a database number like /0, got '/${path}'`,
    );
  }
  const db = path === "" ? 0 : Number(path);
  const decode = (s: string, what: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new QueueUrlError(`--queue: the ${what} in '${shown}' has a bad %-escape`);
    }
  };
  const username = url.username === "" ? undefined : decode(url.username, "user name");
  const password = url.password === "" ? undefined : decode(url.password, "password");
  // URL keeps IPv6 literals in brackets; sockets want them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return {
    host,
    port,
    db,
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    tls: url.protocol === "rediss:",
  };
}

/** The address with `password` in place of the URL's, when given. */
export function withPassword(a: QueueAddress, password: string | undefined): QueueAddress {
  return password === undefined ? a : { ...a, password };
}

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(raw: string): string {
  return raw.replace(/^(\w+:\/\/[^:/@]*:)[^@/]*@/, "$1***@");
}

/** The address as a URL without the password. */
export function describeAddress(a: QueueAddress): string {
  const user = a.username !== undefined || a.password !== undefined;
  const auth = user
    ? `${encodeURIComponent(a.username ?? "")}${a.password !== undefined ? ":***" : ""}@`
    : "";
  const host = a.host.includes(":") ? `[${a.host}]` : a.host;
  return `${a.tls ? "rediss" : "redis"}://${auth}${host}:${a.port}/${a.db}`;
}
