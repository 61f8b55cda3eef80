/**
 * Arrays of doubles as base64 of their IEEE bytes (little-endian): exact to the bit, -0 and NaN
 * included, where decimal JSON would lose -0's sign. Checkpoints store weights and moments so.
 */
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** The bytes of `a` (little-endian doubles) in base64. */
export function encodeDoubles(a: Float64Array): string {
  const view = new DataView(new ArrayBuffer(a.length * 8));
  for (let i = 0; i < a.length; i++) view.setFloat64(i * 8, a[i], true);
  const bytes = new Uint8Array(view.buffer);
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[n >> 18] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : "=";
    out += i + 2 < bytes.length ? B64[n & 63] : "=";
  }
  return out;
}

/** The doubles encodeDoubles wrote; throws CheckpointError on anything else. */
export function decodeDoubles(s: unknown): Float64Array {
  if (typeof s !== "string" || s.length % 4 !== 0) throw new RangeError("bad array encoding");
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const nbytes = (s.length / 4) * 3 - pad;
  if (nbytes % 8 !== 0) throw new RangeError("bad array length");
  const bytes = new Uint8Array(nbytes);
  let k = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s[i + j];
      const v = c === "=" ? 0 : B64.indexOf(c);
      if (v < 0) throw new RangeError("bad array encoding");
      n = (n << 6) | v;
    }
    if (k < nbytes) bytes[k++] = (n >> 16) & 255;
    if (k < nbytes) bytes[k++] = (n >> 8) & 255;
    if (k < nbytes) bytes[k++] = n & 255;
  }
  const view = new DataView(bytes.buffer);
  const out = new Float64Array(nbytes / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}
