/**
 * A folder of PNG or JPEG pictures with its labels.csv (lines "file,label"), picked as a folder or
 * dropped as files, read as the CLI reads one (src/data/formats/pictures.ts): the browser decodes
 * each picture, the engine turns them into examples. Every listed file must be among those given.
 */
import { type DataBundle, DataError } from "../src/data/dataset.js";
import { type Picture, parseLabelList, picturesToMatrix } from "../src/data/formats/pictures.js";

const LABELS = "labels.csv";
/** As the CLI: a folder of more pictures than this is refused before decoding. */
const MAX_PICTURES = 20_000;

/** A file's name without its folder (a picked folder gives "folder/sub/a.png"). */
function baseName(f: File): string {
  const path = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
  return path.slice(path.lastIndexOf("/") + 1);
}

async function decode(file: File): Promise<Picture> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new DataError(file.name, "not a PNG or JPEG picture this browser can decode");
  }
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) throw new DataError(file.name, "no 2-D canvas to decode it with");
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  return { width: canvas.width, height: canvas.height, rgba: new Uint8Array(data.buffer) };
}

/** True when these files are a picture folder (they include labels.csv). */
export function isPictureFolder(files: readonly File[]): boolean {
  return files.some((f) => baseName(f) === LABELS);
}

/** The labelled pictures as a training set; the folder's name is the source. */
export async function parsePictureFolder(files: readonly File[]): Promise<DataBundle> {
  const first = (files[0] as File & { webkitRelativePath?: string }).webkitRelativePath ?? "";
  const source = first.includes("/") ? first.slice(0, first.indexOf("/")) : "pictures";
  const byName = new Map(files.map((f) => [baseName(f), f]));
  const listFile = byName.get(LABELS);
  if (!listFile) throw new DataError(source, `a folder of pictures needs ${LABELS} (lines "file,label")`);
  const list = parseLabelList(await listFile.text(), LABELS);
  if (list.files.length > MAX_PICTURES) {
    throw new DataError(source, `lists ${list.files.length} pictures; at most ${MAX_PICTURES} are read`);
  }
  const pictures: Picture[] = [];
  for (const name of list.files) {
    const f = byName.get(name.slice(name.lastIndexOf("/") + 1));
    if (!f) throw new DataError(source, `${LABELS} lists '${name}', which is not among the files given`);
    pictures.push(await decode(f));
  }
  const { X, shape } = picturesToMatrix(pictures, list.files, source);
  return {
    source,
    train: { X, y: list.labels, shape },
    ...(list.classes && { classes: list.classes }),
  };
}
