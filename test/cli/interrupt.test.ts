import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "../support/paths.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-interrupt-"));

/**
 * Runs the CLI as a program and sends `signal` once stdout has shown `ready` and `delay` ms have
 * passed (training is then under way). Resolves to the exit code and what it printed.
 */
function interrupt(args: string[], ready: RegExp, signal: NodeJS.Signals = "SIGINT", delay = 400) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir });
    let out = "";
    let err = "";
    let sent = false;
    const check = () => {
      if (!sent && ready.test(out + err)) {
        sent = true;
        setTimeout(() => child.kill(signal), delay);
      }
    };
    child.stdout.on("data", (d) => {
      out += d;
      check();
    });
    child.stderr.on("data", (d) => {
      err += d;
      check();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

const long = ["--iterations", "5000000"];

describe("an interrupted run is never a result", () => {
  it("train: Ctrl-C exits 130, says where it stopped and leaves --save, --plot and --cost-plot alone", async () => {
    for (const f of ["m.json", "b.png", "c.svg"]) writeFileSync(join(dir, f), "old");
    const r = await interrupt(
      ["train", ...long, "--save", "m.json", "--plot", "b.png", "--cost-plot", "c.svg"],
      /^Model:/m,
    );
    expect(r.code).toBe(130);
    expect(r.err).toMatch(
      /reglab: training interrupted at iteration \d+ of 5000000; no result was written\n$/,
    );
    expect(r.out).not.toMatch(/accuracy/);
    for (const f of ["m.json", "b.png", "c.svg"]) expect(readFileSync(join(dir, f), "utf8")).toBe("old");
  });

  it("train: SIGTERM too", async () => {
    const r = await interrupt(["train", ...long], /^Model:/m, "SIGTERM");
    expect(r.code).toBe(130);
    expect(r.err).toMatch(/training interrupted at iteration/);
  });

  it("compare --report: exits 130, prints no table and writes no report", async () => {
    const report = join(dir, "report");
    const r = await interrupt(["compare", "--iterations", "3000000", "--report", report], /^Data:/m);
    expect(r.code).toBe(130);
    expect(r.out).not.toMatch(/test accuracy|McNemar/);
    expect(existsSync(join(report, "index.html"))).toBe(false);
  });

  it("recommend --out: exits 130 and ships no kick map", async () => {
    const out = join(dir, "kick");
    const r = await interrupt(["recommend", "--iterations", "3000000", "--out", out], /./);
    expect(r.code).toBe(130);
    expect(existsSync(join(out, "recommend.json"))).toBe(false);
    expect(existsSync(join(out, "kick-map.png"))).toBe(false);
  });

  it("train --checkpoint, interrupted, then --resume: the same result as one uninterrupted run", async () => {
    const flags = [
      "--iterations",
      "150000",
      "--keep-prob",
      "0.8",
      "--optimizer",
      "adam",
      "--learning-rate",
      "0.003",
      "--batch-size",
      "50",
      // Not --quiet: the interruption waits for the progress lines on stderr.
      "--json",
    ];
    const ck = join(dir, "run.json");
    const cut = await interrupt(
      ["train", ...flags, "--checkpoint", ck, "--checkpoint-every", "7000"],
      /./,
      "SIGINT",
      1500,
    );
    expect(cut.code).toBe(130);
    expect(cut.err).toMatch(
      /its state is in .*run\.json \(go on with --resume .*run\.json\); no result was written/,
    );
    expect(cut.out).toBe("");
    const resumed = spawnSync(process.execPath, [CLI, "train", ...flags, "--resume", ck], {
      encoding: "utf8",
    });
    expect(resumed.status).toBe(0);
    const whole = spawnSync(process.execPath, [CLI, "train", ...flags], { encoding: "utf8" });
    const a = JSON.parse(resumed.stdout);
    const b = JSON.parse(whole.stdout);
    expect(a.costs).toEqual(b.costs);
    expect(a.trainAccuracy).toBe(b.trainAccuracy);
    expect(a.testAccuracy).toBe(b.testAccuracy);
    // A resume with other flags is refused, naming what differs.
    const other = spawnSync(process.execPath, [CLI, "train", ...flags, "--lambda", "0.5", "--resume", ck], {
      encoding: "utf8",
    });
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/the checkpoint has lambda = 0, the command line 0\.5/);
  });
});
