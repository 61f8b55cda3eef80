#!/usr/bin/env node
// The long fuzzing run of every loader and of labels in every loader (test/fuzz/): FUZZ_RUNS
// inputs per property (default 20 000), each property bounded by FUZZ_SECONDS (default 60; it
// then stops, passing, and says how many inputs it tried), FUZZ_SEED to replay a failure
// fast-check reported. Usage: npm run fuzz [-- runs [seed [seconds]]]
import { spawnSync } from "node:child_process";

const [
  runs = process.env.FUZZ_RUNS ?? "20000",
  seed = process.env.FUZZ_SEED,
  seconds = process.env.FUZZ_SECONDS ?? "60",
] = process.argv.slice(2);
const env = {
  ...process.env,
  FUZZ_RUNS: runs,
  FUZZ_SECONDS: seconds,
  ...(seed === undefined || seed === "" ? {} : { FUZZ_SEED: seed }),
};
console.error(
  `fuzzing each property with ${runs} inputs, at most ${seconds} s each${seed ? ` (seed ${seed})` : ""}`,
);
const r = spawnSync("npx", ["vitest", "run", "test/fuzz/", "--testTimeout", "0"], { stdio: "inherit", env });
process.exitCode = r.status ?? 1;
