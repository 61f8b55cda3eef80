/** Node-only helpers: read data files from disk, write files atomically, render SVG to PNG. */
export { DiskFullError, writeFileAtomic } from "./atomic-write.js";
export { loadDigits, MNIST_PACKAGE, mnistDirectory } from "./digits.js";
export { type ImageInput, loadImageInput } from "./image-input.js";
export { MAX_INPUT_BYTES, readInputFile } from "./input-file.js";
export { defaultThreadCount, nodeHelperSpawner } from "./kernel-threads.js";
export { type LoadDataOptions, loadDataFile, loadHeldOutFile } from "./load-data.js";
export { type LoadedModel, loadModel, loadModelFile } from "./load-model.js";
export { decodePicture, LABELS_FILE, loadPictureFolder } from "./picture-files.js";
export { svgToPng } from "./png.js";
export { enableRelaxedSimd } from "./relaxed-simd.js";
export { startStaticServer } from "./static-server.js";
export { defaultWorkerCount, JobFailedError, PoolAbortedError, workerRunner } from "./sweep-pool.js";
export { isDiskFull, whyNotWritable } from "./writable.js";
