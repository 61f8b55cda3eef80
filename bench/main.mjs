// `npm run bench [-- --only seed,cats --rounds 3 --threads 1,2 --precision f64,f32,f32-fma]`: the
// seed's runs (seed-training.mjs, in its own process, numbers as before), the numpy-compatible
// normal draw against numpy's randn (normal-draws.mjs, `randn`) and the image-scale
// workloads of image-scale.mjs, in each precision. The machine may be shared: ratios are medians
// over alternated rounds, and single numbers are noisy.
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PRECISIONS } from "../dist/core/wasm-kernels.js";
import { nodeHelperSpawner } from "../dist/node/kernel-threads.js";
import { enableRelaxedSimd } from "../dist/node/relaxed-simd.js";
import { benchImageScale, WORKLOADS } from "./image-scale.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const names = ["seed", "randn", ...Object.keys(WORKLOADS)];
const { values } = parseArgs({
  options: {
    only: { type: "string", default: names.join(",") },
    rounds: { type: "string", default: "3" },
    kernels: { type: "string", default: "wasm" },
    threads: { type: "string", default: "1" },
    precision: { type: "string", default: "f64" },
  },
});
const precisions = values.precision.split(",").filter((s) => s !== "");
const badPrecision = precisions.find((p) => !PRECISIONS.includes(p));
if (badPrecision !== undefined) {
  console.error(`bench: unknown precision '${badPrecision}' (choose from ${PRECISIONS.join(", ")})`);
  process.exit(2);
}
// f32-fma needs relaxed SIMD, behind a V8 flag in Node 20.
if (precisions.includes("f32-fma") && !enableRelaxedSimd()) {
  console.error("bench: this runtime has no WebAssembly relaxed SIMD: drop f32-fma from --precision");
  process.exit(2);
}
const only = values.only.split(",").filter((s) => s !== "");
const unknown = only.filter((n) => !names.includes(n));
if (unknown.length > 0) {
  console.error(`bench: unknown workload '${unknown[0]}' (choose from ${names.join(", ")})`);
  process.exit(2);
}
if (only.includes("seed")) {
  const r = spawnSync(process.execPath, [resolve(here, "seed-training.mjs"), "--rounds", values.rounds], {
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log("");
}
if (only.includes("randn")) {
  const r = spawnSync(process.execPath, [resolve(here, "normal-draws.mjs"), "--rounds", values.rounds], {
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log("");
}
const images = only.filter((n) => n !== "seed" && n !== "randn");
if (images.length > 0) {
  console.log(
    `Image-scale workloads, ${values.rounds} rounds, reglab (${values.kernels}) and numpy alternated`,
  );
  const threadCounts = values.threads.split(",").map(Number);
  await benchImageScale(
    images,
    Number(values.rounds),
    { kernels: values.kernels, spawnHelper: nodeHelperSpawner },
    threadCounts,
    precisions,
  );
}
