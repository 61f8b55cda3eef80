#!/usr/bin/env node
// The long fuzzing run of every loader (test/fuzz/): FUZZ_RUNS inputs per loader (default 20 000),
// FUZZ_SEED to replay a failure fast-check reported. Usage: npm run fuzz [-- runs [seed]]
import { spawnSync } from "node:child_process";

const [runs = process.env.FUZZ_RUNS ?? "20000", seed = process.env.FUZZ_SEED] = process.argv.slice(2);
const env = { ...process.env, FUZZ_RUNS: runs, ...(seed === undefined ? {} : { FUZZ_SEED: seed }) };
console.error(`fuzzing each loader with ${runs} inputs${seed === undefined ? "" : ` (seed ${seed})`}`);
const r = spawnSync("npx", ["vitest", "run", "test/fuzz/", "--testTimeout", "0"], { stdio: "inherit", env });
process.exitCode = r.status ?? 1;
