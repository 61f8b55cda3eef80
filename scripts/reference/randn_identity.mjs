// Compares RandomState.randn with numpy's legacy RandomState.randn, bit for bit, over many draws:
// several seeds, each drawn in chunks of odd and even lengths (so the cached second value of each
// pair crosses calls as in numpy). Nothing is written; it prints the count of differing values.
//
// Run from the repo root after `npm run build`:  node scripts/reference/randn_identity.mjs [millions]
import { spawnSync } from "node:child_process";
import { RandomState } from "../../dist/core/random.js";

const millions = Number(process.argv[2] ?? 10);
const SEEDS = [0, 1, 3, 7, 42, 2 ** 32 - 1];
const CHUNKS = [1, 999_999, 2, 1_000_000, 3];
const PYTHON = `
import sys, numpy as np
seed, total, chunks = int(sys.argv[1]), int(sys.argv[2]), [int(c) for c in sys.argv[3].split(",")]
rs, done, k = np.random.RandomState(seed), 0, 0
while done < total:
    n = min(chunks[k % len(chunks)], total - done)
    sys.stdout.buffer.write(rs.randn(n).astype("<f8").tobytes())
    done, k = done + n, k + 1
`;

let checked = 0;
let differing = 0;
const perSeed = Math.ceil((millions * 1e6) / SEEDS.length);
for (const seed of SEEDS) {
  const py = spawnSync("python3", ["-c", PYTHON, String(seed), String(perSeed), CHUNKS.join(",")], {
    maxBuffer: perSeed * 8 + 1024,
  });
  if (py.status !== 0) throw new Error(py.stderr.toString());
  const want = new Float64Array(py.stdout.buffer, py.stdout.byteOffset, perSeed);
  const rs = new RandomState(seed);
  for (let done = 0, k = 0; done < perSeed; k++) {
    const n = Math.min(CHUNKS[k % CHUNKS.length], perSeed - done);
    const got = rs.randn(n);
    for (let i = 0; i < n; i++) if (!Object.is(got[i], want[done + i])) differing++;
    done += n;
  }
  checked += perSeed;
  console.log(`seed ${seed}: ${perSeed} draws, ${differing} differing so far`);
}
console.log(`${checked} draws against numpy's randn: ${differing} differ`);
process.exitCode = differing === 0 ? 0 : 1;
