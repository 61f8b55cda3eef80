import { expect } from "vitest";
import { runCli } from "../../src/cli/run.js";
import type { Io } from "../../src/cli/runtime.js";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** An in-memory Io (no terminal, so no progress bar) whose output and Ctrl+C the test controls. */
export function memoryIo(overrides: Partial<Io> = {}) {
  const controller = new AbortController();
  let out = "";
  let err = "";
  const io: Io = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    errIsTTY: false,
    errColumns: 80,
    pause: () => Promise.resolve(),
    now: () => performance.now(),
    signal: controller.signal,
    ...overrides,
  };
  return { io, out: () => out, err: () => err, stop: () => controller.abort() };
}

/** Runs the CLI in-process with captured output, with optional changes to the Io. */
export async function cliWith(overrides: Partial<Io>, ...argv: string[]): Promise<CliResult> {
  const m = memoryIo(overrides);
  const code = await runCli(argv, m.io);
  return { code, out: m.out(), err: m.err() };
}

/** Runs the CLI in-process with captured output. */
export function cli(...argv: string[]): Promise<CliResult> {
  return cliWith({}, ...argv);
}

/** Bad usage: exit 2 and exactly one line on stderr naming the problem, nothing on stdout. */
export async function expectUsageError(args: string[], pattern: RegExp): Promise<void> {
  const r = await cli(...args);
  expect(r.code, r.err).toBe(2);
  const lines = r.err.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^reglab: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.out).toBe("");
}
