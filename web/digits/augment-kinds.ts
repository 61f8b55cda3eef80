/**
 * The image augmentations the playground toggles, each one of the engine's transforms with
 * settings for 28×28 digits: elastic distortion as Simard et al. used on MNIST (α = 34, σ = 4), a
 * small affine map, a shift by up to 2 pixels (pad and crop back), and Gaussian pixel noise.
 */
export const AUGMENT_KINDS = ["elastic", "affine", "crop", "noise"] as const;
export type AugmentKind = (typeof AUGMENT_KINDS)[number];

/** Each toggle's engine spec (the CLI's --augment syntax). */
export const AUGMENT_SPECS: Readonly<Record<AugmentKind, string>> = {
  elastic: "elastic:alpha=34,sigma=4",
  affine: "affine:shift=2,rotate=10,scale=0.1",
  crop: "crop:2",
  noise: "noise:0.1",
};

/** The engine spec of the toggles that are on ("" for none), in AUGMENT_KINDS order. */
export function augmentSpec(kinds: readonly AugmentKind[]): string {
  return AUGMENT_KINDS.filter((k) => kinds.includes(k))
    .map((k) => AUGMENT_SPECS[k])
    .join(",");
}

/** The toggles as a URL value, "elastic,noise": each at most once, kept in AUGMENT_KINDS order. */
export const augmentList: {
  parse(raw: string): AugmentKind[] | undefined;
  format(v: AugmentKind[]): string;
} = {
  parse(raw) {
    if (raw.trim() === "") return [];
    const parts = raw.split(",");
    if (parts.some((p) => !(AUGMENT_KINDS as readonly string[]).includes(p))) return undefined;
    return AUGMENT_KINDS.filter((k) => parts.includes(k));
  },
  format: (v) => AUGMENT_KINDS.filter((k) => v.includes(k)).join(","),
};
