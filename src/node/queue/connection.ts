/**
 * Redis connections for the queue: ioredis options from a parsed URL, a retry strategy with
 * backoff, and one line per outage (not one per failed attempt) so a lost connection is reported
 * without flooding the log.
 */
import { Redis, type RedisOptions } from "ioredis";
import { QueueConnectionError } from "./errors.js";
import { describeAddress, type QueueAddress } from "./url.js";

/** Reconnect after 0.2 s, 0.4 s, … doubling up to 10 s, for as long as it takes. */
export function reconnectDelay(attempt: number): number {
  return Math.min(10_000, 100 * 2 ** Math.min(attempt, 7));
}

export function redisOptions(address: QueueAddress) {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.username !== undefined && { username: address.username }),
    ...(address.password !== undefined && { password: address.password }),
    ...(address.tls && { tls: { servername: address.host } }),
    // BullMQ's blocking commands must wait through reconnects instead of failing.
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelay,
    connectionName: "reglab",
  } satisfies RedisOptions;
}

const CONNECTION_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|Connection is closed/;

/**
 * Says "connection lost" once per outage and "connected again" when it ends, going by one client
 * (every connection to the server fails and recovers together); other errors are logged as they are.
 */
export function outageReporter(address: QueueAddress, log: (line: string) => void) {
  let down = false;
  const where = describeAddress(address);
  const text = (e: unknown) =>
    e instanceof Error ? (e as NodeJS.ErrnoException).code || e.message : String(e);
  return {
    /** An error of the client that stands for the connection. */
    lost(e: unknown) {
      if (down) return;
      down = true;
      log(`redis at ${where}: connection lost (${text(e)}); retrying with backoff up to 10 s`);
    },
    ready() {
      if (!down) return;
      down = false;
      log(`redis at ${where}: connected again`);
    },
    /** An error from BullMQ's own connections: outages are already reported by `lost`. */
    error(e: unknown) {
      const message =
        e instanceof Error ? `${(e as NodeJS.ErrnoException).code ?? ""} ${e.message}` : String(e);
      if (!CONNECTION_ERROR.test(message)) log(`queue error: ${e instanceof Error ? e.message : String(e)}`);
    },
  };
}

/**
 * A plain client (datasets, job look-ups) that reports outages; rejects with a
 * QueueConnectionError when the server cannot be reached within `timeoutMs` at the start.
 */
export async function connect(
  address: QueueAddress,
  log: (line: string) => void,
  timeoutMs = 10_000,
): Promise<{ client: Redis; report: ReturnType<typeof outageReporter> }> {
  const report = outageReporter(address, log);
  const client = new Redis({ ...redisOptions(address), lazyConnect: true });
  let lastError: unknown;
  let started = false;
  client.on("error", (e) => {
    lastError = e;
    if (started) report.lost(e);
  });
  client.on("ready", () => report.ready());
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
      }),
    ]);
  } catch (e) {
    client.disconnect();
    const why = lastError instanceof Error ? lastError.message : (e as Error).message;
    throw new QueueConnectionError(`cannot reach redis at ${describeAddress(address)}: ${why}`);
  } finally {
    clearTimeout(timer);
  }
  started = true;
  return { client, report };
}
