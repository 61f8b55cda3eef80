import { Command, CommanderError, InvalidArgumentError } from "commander";
import {
  CheckpointError,
  ConfigError,
  DataError,
  DivergenceError,
  KernelMemoryError,
  LINE_MAX,
  ModelFormatError,
  oneLine,
  quote,
  SweepError,
  TrainingInterrupted,
} from "../index.js";
import { registerAugment } from "./commands/augment.js";
import { registerCheck } from "./commands/check.js";
import { registerCompare } from "./commands/compare.js";
import { registerPlayground } from "./commands/playground.js";
import { registerPredict } from "./commands/predict.js";
import { registerRecommend } from "./commands/recommend.js";
import { registerSweep } from "./commands/sweep.js";
import { registerTrain } from "./commands/train.js";
import { registerWorker } from "./commands/worker.js";
import { ExitStatus, type Io, UsageError } from "./runtime.js";
import { VERSION } from "./version.js";

/** Errors that mean "your input or usage is wrong": exit 2, one line, no stack trace. */
function isUserError(e: unknown): boolean {
  return (
    e instanceof UsageError ||
    e instanceof DataError ||
    e instanceof ConfigError ||
    e instanceof DivergenceError ||
    e instanceof ModelFormatError ||
    e instanceof CheckpointError ||
    e instanceof SweepError ||
    e instanceof KernelMemoryError ||
    e instanceof InvalidArgumentError
  );
}

/** Commander's message without its prefix, on one line, with the argument it echoes quoted short. */
function commanderText(text: string): string {
  return text
    .replace(/^error: /, "")
    .replace(/ argument '([\s\S]*)' is invalid\./, (_, raw: string) => ` argument ${quote(raw)} is invalid.`)
    .replace(/\s*\n\s*/g, " ");
}

/** Help is laid out for this many columns, on a terminal or piped. */
export const HELP_WIDTH = 80;

/**
 * Wraps help lines longer than `width`: an example's "# comment" moves under its command, a long
 * command breaks at a space with a shell continuation (" \\"), prose wraps at its own indent.
 */
export function wrapHelp(s: string, width = HELP_WIDTH): string {
  const out: string[] = [];
  const wrapWords = (line: string, indent: string, first: string, suffix = "") => {
    let cur = first;
    for (const word of line.split(" ").filter((w) => w !== "")) {
      const next = cur.trim() === "" ? `${cur}${word}` : `${cur} ${word}`;
      if (next.length + suffix.length > width && cur.trim() !== "") {
        out.push(`${cur}${suffix}`);
        cur = `${indent}${word}`;
      } else cur = next;
    }
    out.push(cur);
  };
  // Top-level prose paragraphs (no indent, not a heading) are reflowed as one line each.
  const lines: string[] = [];
  for (const line of s.split("\n")) {
    const prose = line !== "" && !/^\s/.test(line) && !line.endsWith(":");
    const prev = lines.length > 0 ? lines[lines.length - 1] : "";
    const prevProse = prev !== "" && !/^\s/.test(prev) && !prev.endsWith(":") && !prev.startsWith("Usage:");
    if (prose && prevProse && !line.startsWith("Usage:")) lines[lines.length - 1] = `${prev} ${line}`;
    else lines.push(line);
  }
  for (const line of lines) {
    if (line.length <= width) {
      out.push(line);
      continue;
    }
    // An example ("  $ reglab …"), or a continuation line of one, with an optional "# comment".
    const example = /^(\s*\$ )(.*?)(?:\s{2,}(#.*))?$/.exec(line) ?? /^(\s+)(--.*?)(?:\s+(#.*))?$/.exec(line);
    if (example) {
      const [, lead, command, comment] = example;
      const pad = " ".repeat(lead.includes("$") ? lead.length + 2 : lead.length);
      if (lead.length + command.length <= width) out.push(`${lead}${command}`);
      else wrapWords(command, pad, lead.trimEnd(), " \\");
      if (comment) wrapWords(comment.replace(/^#\s*/, ""), `${pad}# `, `${pad}#`);
      continue;
    }
    const indent = /^\s*/.exec(line)![0];
    wrapWords(line.trim(), indent, indent);
  }
  return out.join("\n");
}

/** Commander's errors become one line in our voice: "reglab: unknown option '--x' (see --help)". */
function output(io: Io) {
  return {
    writeOut: (s: string) => io.out(wrapHelp(s)),
    // Commander lays options out for this width whatever the terminal says.
    getOutHelpWidth: () => HELP_WIDTH,
    writeErr: io.err,
    outputError: (text: string, write: (s: string) => void) =>
      write(`${oneLine(`reglab: ${commanderText(text)}`, LINE_MAX - 13)} (see --help)\n`),
  };
}

export function buildProgram(io: Io): Command {
  const program = new Command("reglab")
    .description(
      "Train neural networks that generalize: L2, inverted dropout, early stopping, honest model choice.",
    )
    .version(VERSION)
    .option("--debug", "show stack traces for errors")
    .exitOverride()
    .configureOutput(output(io));
  registerTrain(program, io);
  registerCompare(program, io);
  registerCheck(program, io);
  registerSweep(program, io);
  registerPredict(program, io);
  registerRecommend(program, io);
  registerPlayground(program, io);
  registerAugment(program, io);
  registerWorker(program, io);
  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput(output(io));
    // Descriptions are paragraphs: commander wraps them to the help's width (no ragged lines).
    cmd.description(
      cmd
        .description()
        .replace(/(\w-)\n(?=\w)/g, "$1")
        .replace(/([^\n])\n(?=[^\n])/g, "$1 "),
    );
  }
  program.addHelpText(
    "after",
    `
Quick start:
  $ reglab compare                               # the article's experiment on built-in data
  $ reglab train --data football.mat --lambda 0.7 --plot l2.png
Run "reglab <command> --help" for each command's options and examples.`,
  );
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof ExitStatus) return e.code;
    if (e instanceof CommanderError) {
      // Commander has already printed its message (or the help).
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      )
        return 0;
      if (e.code === "commander.executeSubCommandAsync") return 1;
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof TrainingInterrupted) {
      // Ctrl-C or SIGTERM: never a result. Say where it stopped; nothing complete was written.
      io.err(`reglab: ${message}; no result was written\n`);
      return 130;
    }
    if (isUserError(e)) {
      io.err(`${oneLine(`reglab: ${message}`)}\n`);
      if (debug && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
      return 2;
    }
    io.err(`${oneLine(`reglab: internal error: ${message}`)}\n`);
    io.err(
      debug && e instanceof Error && e.stack ? `${e.stack}\n` : "(run with --debug for the stack trace)\n",
    );
    return 1;
  }
}
