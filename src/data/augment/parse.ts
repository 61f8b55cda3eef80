/**
 * Augmentation specs as the CLI writes them: transforms separated by commas, each `name`,
 * `name:value` (its first parameter) or `name:key=value`, with further `key=value` items after
 * commas belonging to the transform before them — `flip,crop:4,elastic:alpha=34,sigma=4`.
 * Adding a transform: one file with a maker that returns a Transform, and one line in TRANSFORMS.
 */
import { affine } from "./affine.js";
import { crop, cropResize } from "./crop.js";
import { elastic } from "./elastic.js";
import { flip } from "./flip.js";
import { jitter } from "./jitter.js";
import { noise } from "./noise.js";
import type { Transform } from "./transform.js";

type Params = Record<string, number>;

/** Each transform: its parameter names (the first is the one `name:value` sets) and its maker. */
const TRANSFORMS: Record<string, { params: readonly string[]; make: (p: Params) => Transform }> = {
  flip: { params: ["p"], make: (p) => flip(p.p) },
  crop: { params: ["pad"], make: (p) => crop(p.pad) },
  cropresize: { params: ["scale"], make: (p) => cropResize(p.scale) },
  affine: { params: ["shift", "rotate", "scale"], make: (p) => affine(p) },
  elastic: { params: ["alpha", "sigma"], make: (p) => elastic(p.alpha, p.sigma) },
  jitter: { params: ["brightness", "contrast"], make: (p) => jitter(p.brightness, p.contrast) },
  noise: { params: ["sigma"], make: (p) => noise(p.sigma) },
};

export const TRANSFORM_NAMES = Object.keys(TRANSFORMS);

/** Parses a spec into transforms; throws a RangeError naming the bad part. */
export function parseAugmentation(spec: string): Transform[] {
  const groups: { name: string; items: string[] }[] = [];
  for (const raw of spec.split(",")) {
    const token = raw.trim();
    if (token === "") throw new RangeError(`empty item in '${spec}'`);
    const colon = token.indexOf(":");
    if (colon < 0 && token.includes("=")) {
      const last = groups.at(-1);
      if (!last) throw new RangeError(`'${token}' comes before any transform`);
      last.items.push(token);
    } else {
      groups.push({
        name: colon < 0 ? token : token.slice(0, colon),
        items: colon < 0 ? [] : [token.slice(colon + 1)],
      });
    }
  }
  return groups.map(({ name, items }) => {
    const entry = TRANSFORMS[name];
    if (!entry) throw new RangeError(`unknown transform '${name}' (choose ${TRANSFORM_NAMES.join(", ")})`);
    const params: Params = {};
    items.forEach((item, i) => {
      const eq = item.indexOf("=");
      const key = eq < 0 ? entry.params[0] : item.slice(0, eq);
      const value = Number(eq < 0 ? item : item.slice(eq + 1));
      if (eq < 0 && i > 0)
        throw new RangeError(`${name}: '${item}' needs a name, like ${entry.params[0]}=${item}`);
      if (!entry.params.includes(key)) {
        throw new RangeError(`${name} has no parameter '${key}' (it takes ${entry.params.join(", ")})`);
      }
      if (!Number.isFinite(value) || (eq >= 0 && item.slice(eq + 1).trim() === "")) {
        throw new RangeError(`${name}: ${key} must be a number, got '${eq < 0 ? item : item.slice(eq + 1)}'`);
      }
      params[key] = value;
    });
    return entry.make(params);
  });
}
