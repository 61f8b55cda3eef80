import { describe, expect, it } from "vitest";
import { cli, cliWith, expectUsageError } from "../support/io.js";
import { FOOTBALL_MAT, HAS_FOOTBALL, NO_FOOTBALL_REASON } from "../support/paths.js";

describe("reglab check", () => {
  it("passes a healthy configuration: exit 0, ✓ lines, intervals, no colour off a terminal", async () => {
    const r = await cli("check", "--learning-rate", "0.05", "--check-iterations", "800", "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("1. Dropout off: 800 iterations, the cost at every iteration");
    // The model line says what each check runs, not the 30 000 of the run it checks.
    expect(r.out).toMatch(/^Model: .* · 800 iterations per check \(the run it checks has 30,000\)$/m);
    expect(r.out).toContain("no rise: the cost fell at every step");
    expect(r.out).toMatch(/training accuracy \d+\.\d% \[\d+\.\d, \d+\.\d\]/);
    expect(r.out).toContain("2. Dropout on: skipped");
    expect(r.out).toMatch(/3\. Gradient check at the initial weights on 16 examples, \d+ parameters/);
    expect(r.out).toMatch(/✓ cost with dropout off decreased monotonically/);
    expect(r.out).toMatch(/✓ gradient check: relative difference \d\.\d\de-\d+ < 1\.00e-6/);
    expect(r.out).toContain("All checks passed.");
    expect(r.out).not.toContain("\x1b[");
  });

  it("catches a planted non-monotonic run: exit 1, ✗ with the first rise and its size", async () => {
    // α = 1 makes full-batch gradient descent overshoot and bounce on this data.
    const r = await cli("check", "--learning-rate", "1", "--check-iterations", "600", "--quiet");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\d+ rises: the first at iteration \d+ \(\+\d\.\d\de-?\d+, [\d.]+ %\)/);
    expect(r.out).toMatch(
      /✗ cost with dropout off not monotonic: first rise at iteration \d+ by \d\.\d\de-?\d+/,
    );
    expect(r.out).toContain("lower the learning rate (α = 1)");
    expect(r.out).toContain("1 check failed.");
    expect(r.err).not.toContain("internal error");
  });

  it("warns on small rises at the seed's α = 0.3, fails them with --max-rise 0", async () => {
    const warn = await cli("check", "--check-iterations", "2000", "--quiet");
    expect(warn.code).toBe(0);
    expect(warn.out).toMatch(/⚠ cost with dropout off not monotonic but close: \d+ small rises/);
    expect(warn.out).toContain("All checks passed (1 warning).");
    const strict = await cli("check", "--check-iterations", "2000", "--max-rise", "0", "--quiet");
    expect(strict.code).toBe(1);
    expect(strict.out).toContain("✗ cost with dropout off not monotonic");
  });

  it("runs the dropout-on check when the configuration has dropout", async () => {
    const r = await cli(
      "check",
      "--keep-prob",
      "0.8",
      "--learning-rate",
      "0.1",
      "--check-iterations",
      "800",
      "--quiet",
    );
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("2. Dropout on (keepProb 0.8, fresh masks): 800 iterations");
    expect(r.out).toMatch(
      /✓ cost with dropout on fell overall \(\d\.\d{3} → \d\.\d{3}\); \d+ rises on the way are expected/,
    );
    expect(r.out).toContain("the fixed dropout masks");
  });

  it("--json prints one object and keeps the exit code", async () => {
    const r = await cli("check", "--learning-rate", "1", "--check-iterations", "300", "--json");
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.passed).toBe(false);
    expect(j.dropoutOff.status).toBe("fail");
    expect(j.dropoutOff.report.firstRise.iteration).toBeGreaterThan(0);
    expect(j.gradient.passed).toBe(true);
    expect(r.out.trim().split("\n")).toHaveLength(1);
  });

  it("colours the marks only when stdout takes colour", async () => {
    const r = await cliWith(
      { outColor: true },
      "check",
      "--learning-rate",
      "0.05",
      "--check-iterations",
      "200",
      "--quiet",
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain("\x1b[32m✓\x1b[0m");
  });

  it("rejects bad options with one line and exit 2", async () => {
    await expectUsageError(["check", "--check-iterations", "0"], /--check-iterations.*≥ 1/);
    await expectUsageError(["check", "--max-rise", "-0.1"], /--max-rise.*≥ 0/);
    await expectUsageError(["check", "--gradient-examples", "x"], /--gradient-examples/);
    await expectUsageError(["check", "--gradient-threshold", "0"], /--gradient-threshold.*> 0/);
    await expectUsageError(["check", "--keep-prob", "1.5"], /--keep-prob/);
    await expectUsageError(["check", "--learning-rate", "-1"], /--learning-rate/);
  });
});

describe.skipIf(!HAS_FOOTBALL)(
  `check on football.mat${HAS_FOOTBALL ? "" : ` — skipped: ${NO_FOOTBALL_REASON}`}`,
  () => {
    it("α = 0.1 gives a strictly falling cost over 2000 iterations; the seed's α = 0.3 does not", async () => {
      const slow = await cli(
        "check",
        "--data",
        FOOTBALL_MAT,
        "--learning-rate",
        "0.1",
        "--max-rise",
        "0",
        "--json",
      );
      expect(JSON.parse(slow.out).dropoutOff.report.monotonic).toBe(true);
      const seed = await cli("check", "--data", FOOTBALL_MAT, "--json");
      const off = JSON.parse(seed.out).dropoutOff;
      expect(off.status).toBe("warn");
      expect(off.report.firstRise.iteration).toBe(1021);
    });
  },
);

describe("reglab check --help", () => {
  it("teaches with examples", async () => {
    const r = await cli("check", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Examples:");
    expect(r.out).toContain("$ reglab check");
  });
});
