import { InvalidArgumentError } from "commander";
import { type LayerSpec, LayerSpecError, parseLayerSpecs } from "../index.js";

/** `--layers`: plain dense sizes (the dense network), or specs with conv/pool/dropout layers. */
export type LayersValue = number[] | LayerSpec[];

/** Parses `--layers`; a bad token is one line naming it (exit code 2). */
export function layersOption(raw: string): LayersValue {
  let specs: LayerSpec[];
  try {
    specs = parseLayerSpecs(raw);
  } catch (e) {
    if (e instanceof LayerSpecError) throw new InvalidArgumentError(e.message);
    throw e;
  }
  return specs.every((s) => s.type === "dense") ? specs.map((s) => (s as { units: number }).units) : specs;
}

/** The layer specs when `--layers` names more than dense sizes, else undefined. */
export function layeredSpecs(v: LayersValue): LayerSpec[] | undefined {
  return v.length > 0 && typeof v[0] === "object" ? (v as LayerSpec[]) : undefined;
}

/** The dense layer sizes among `--layers` (all of them for a dense network). */
export function denseSizes(v: LayersValue): number[] {
  return (v as (number | LayerSpec)[]).flatMap((s) =>
    typeof s === "number" ? [s] : s.type === "dense" ? [s.units] : [],
  );
}
