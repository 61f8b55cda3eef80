// Dumps the cat datasets' raw arrays to .npy files for cat_reference.py (python here has no h5py).
// It reads with jsfive directly, not with reglab's loader, so flattening, transposing and scaling
// stay independent: numpy does those the course's way.
// Usage: node scripts/reference/cat_h5_to_npy.mjs DATASETS_DIR OUT_DIR
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { File } from "jsfive";

const [dir, out] = process.argv.slice(2);
const DTYPES = { "<u1": ["|u1", Uint8Array], "<i8": ["<f8", Float64Array], "|u1": ["|u1", Uint8Array] };

function npy(shape, descr, typed) {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  header += `${" ".repeat(63 - ((header.length + 10) % 64))}\n`;
  const pre = Buffer.alloc(10);
  pre.write("\x93NUMPY", 0, "latin1");
  pre[6] = 1;
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, "latin1"), Buffer.from(typed.buffer)]);
}

for (const name of ["train_catvnoncat", "test_catvnoncat"]) {
  const b = readFileSync(join(dir, `${name}.h5`));
  const f = new File(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength), name);
  for (const key of f.keys.filter((k) => k !== "list_classes")) {
    const d = f.get(key);
    const [descr, T] = DTYPES[d.dtype];
    writeFileSync(join(out, `${key}.npy`), npy(d.shape, descr, T.from(d.value, Number)));
  }
}
