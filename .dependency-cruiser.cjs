/**
 * The house's floors, checked on every `npm run lint` (DESIGN.md, "Extension points"):
 *   core → data → training | plot → experiments (and src/index.ts) → node | web → cli
 * A floor imports only the floors below it. Only src/node and src/cli touch Node's built-ins;
 * the engine's freedom from the DOM is kept by tsconfig.engine.json (lib ES2022, no types).
 */
const floor = (...dirs) => `^(${dirs.join("|")})`;
const CORE = "src/core/";
const DATA = "src/data/";
const TRAINING = "src/training/";
const PLOT = "src/plot/";
const EXPERIMENTS = "src/experiments/";
const INDEX = "src/index\\.ts$";
const NODE = "src/node/";
const WEB = "web/";
const CLI = "src/cli/";

/** One rule per floor: what it must not reach up (or across) to. */
const above = [
  ["core", CORE, [DATA, TRAINING, PLOT, EXPERIMENTS, INDEX, NODE, WEB, CLI]],
  ["data", DATA, [TRAINING, PLOT, EXPERIMENTS, INDEX, NODE, WEB, CLI]],
  ["training", TRAINING, [PLOT, EXPERIMENTS, INDEX, NODE, WEB, CLI]],
  ["plot", PLOT, [TRAINING, EXPERIMENTS, INDEX, NODE, WEB, CLI]],
  ["experiments", EXPERIMENTS, [INDEX, NODE, WEB, CLI]],
  ["node", NODE, [WEB, CLI]],
  ["web", WEB, [NODE, CLI]],
];

module.exports = {
  forbidden: [
    ...above.map(([name, from, to]) => ({
      name: `${name}-imports-no-higher-floor`,
      comment: `${from} sits below ${to.join(", ")}: move the shared piece down instead`,
      severity: "error",
      from: { path: floor(from) },
      to: { path: floor(...to) },
    })),
    {
      name: "node-builtins-only-in-node-and-cli",
      comment: "the engine and the playground run in the browser: files and processes live in src/node",
      severity: "error",
      from: { path: floor("src/", WEB), pathNot: floor(NODE, CLI) },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "cli-through-entry-points",
      comment:
        "the CLI uses the library as a user would: reglab (src/index.ts) and reglab/node; the queue " +
        "modules stay separate so BullMQ loads only when a queue is used",
      severity: "error",
      from: { path: floor(CLI) },
      to: {
        path: floor(CORE, DATA, TRAINING, PLOT, EXPERIMENTS, NODE),
        pathNot: "^src/node/(index\\.ts|queue/)",
      },
    },
    {
      name: "no-circular",
      comment: "a circle of imports has no bottom floor",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // TypeScript 7 has no JavaScript API, so dependency-cruiser parses with swc.
    parser: "swc",
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^web/dist/" },
  },
};
