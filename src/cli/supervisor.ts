/**
 * Ctrl-C within a second whatever one training step costs. Node runs a signal handler only when
 * the main thread returns to its event loop, and one step of a wide network on thousands of
 * examples (or parsing a large file) can hold it for seconds. So the compute commands run in a
 * child process that this one watches: a signal here is passed on, and the child stops cleanly at
 * its next yield (saves its checkpoint, says where it stopped). While it stops, its event loop
 * turns and it says so every HEARTBEAT_MS; a child silent for GRACE_MS is busy in one long
 * computation with nothing half-written, and is ended. Nothing that looks complete is written
 * either way: results are renamed into place only while no signal has come.
 */
import { fork } from "node:child_process";
import { constants } from "node:os";

/** Set in the child's environment: it runs the command itself. */
export const SUPERVISED_ENV = "REGLAB_SUPERVISED";

/** How long a child may stay silent after a signal before it is ended. */
export const GRACE_MS = 1000;

/** How often a stopping child says it is still stopping. */
export const HEARTBEAT_MS = 200;

/** The commands that compute for long; the others (help, playground, worker) run in this process. */
const COMPUTE = new Set(["train", "compare", "check", "sweep", "predict", "recommend", "augment"]);

/** What the child sends, every HEARTBEAT_MS, once it has seen the signal and is stopping on its own. */
export const STOPPING = "reglab:stopping";

/** Whether `argv` (without node and script) runs a compute command that should be supervised. */
export function wantsSupervisor(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[SUPERVISED_ENV] === "1") return false;
  const command = argv.find((a) => !a.startsWith("-"));
  if (command === undefined || !COMPUTE.has(command)) return false;
  return !argv.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "-V");
}

/** Runs `script argv` in a child process, passing signals on; resolves to the exit code. */
export function supervise(script: string, argv: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = fork(script, [...argv], {
      stdio: "inherit",
      env: { ...process.env, [SUPERVISED_ENV]: "1" },
    });
    let signals = 0;
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        // A second Ctrl-C ends it at once, as it always did.
        ended = true;
        child.kill("SIGKILL");
        return;
      }
      if (child.connected) child.send({ signal }, () => {});
      wait();
    };
    // (Re)starts the grace period: the child is ended when it runs out.
    const wait = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        ended = true;
        child.kill("SIGKILL");
      }, GRACE_MS);
    };
    child.on("message", (m) => {
      if (m === STOPPING && signals > 0 && !ended) wait();
    });
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      if (ended) {
        if (signals === 1) {
          process.stderr.write(
            `reglab: interrupted; the command was busy in one long computation and was ended without waiting for it; no result was written\n`,
          );
        }
        resolve(130);
      } else if (code !== null) resolve(code);
      else resolve(128 + (constants.signals[signal as NodeJS.Signals] ?? 0));
    });
    child.on("error", (e) => {
      process.stderr.write(`reglab: internal error: cannot start the command (${e.message})\n`);
      resolve(1);
    });
  });
}
