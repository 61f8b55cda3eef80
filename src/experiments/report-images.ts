/**
 * The report's pictures for image data, in place of decision boundaries: per model its confusion
 * matrix on the test set, its misclassified test images with true and predicted labels, and, for a
 * model that augments, training images beside augmented samples drawn as its runs draw them.
 */
import { RandomState } from "../core/random.js";
import { augmentExample } from "../data/augment/compose.js";
import { parseAugmentation } from "../data/augment/parse.js";
import type { DataBundle, Dataset, ImageShape } from "../data/dataset.js";
import { drawIndices } from "../data/subsample.js";
import { plotConfusionMatrix } from "../plot/confusion.js";
import { plotImageGrid } from "../plot/image-grid.js";
import type { ComparisonRow } from "./compare.js";
import { type Confusion, confusionMatrix } from "./confusion.js";
import { esc, figureHtml, type ReportFigure } from "./report-template.js";

/** Misclassified test images shown per model, at most. */
export const MISCLASSIFIED_SHOWN = 18;

/** Columns of the misclassified grid. */
const PER_ROW = 6;

function column(d: Dataset, j: number): Float64Array {
  const nx = d.X.rows;
  const m = d.X.cols;
  const x = new Float64Array(nx);
  for (let f = 0; f < nx; f++) x[f] = d.X.data[f * m + j];
  return x;
}

/** Class names by label: the data's own, else the labels as text. */
export function classNamesOf(data: DataBundle, k: number): string[] {
  return Array.from({ length: k }, (_, c) => data.classes?.[c] ?? String(c));
}

/** Four training images, each beside four samples of the model's augmentation (seeded by its run). */
function augmentedGrid(r: ComparisonRow, train: Dataset, shape: ImageShape): string | undefined {
  const a = r.model.augment;
  if (!a) return undefined;
  const rng = new RandomState(r.seeds[0].seed);
  const transforms = parseAugmentation(a.spec);
  const picked = drawIndices(train.X.cols, Math.min(4, train.X.cols), rng);
  const rows = Array.from(picked, (j) => {
    const x = column(train, j);
    return [x, ...Array.from({ length: 4 }, () => augmentExample(x, shape, transforms, rng))];
  });
  return plotImageGrid(rows, shape, {
    title: `${r.model.name}: augmented training images`,
    columns: ["original", "sample 1", "sample 2", "sample 3", "sample 4"],
  });
}

/** The first misclassified test images in test-set order, captioned "true → predicted". */
function misclassifiedGrid(
  r: ComparisonRow,
  test: Dataset,
  predicted: ArrayLike<number>,
  names: readonly string[],
  shape: ImageShape,
): { svg: string; wrong: number } | undefined {
  const wrong: number[] = [];
  for (let j = 0; j < test.X.cols; j++) if (predicted[j] !== test.y[j]) wrong.push(j);
  if (wrong.length === 0) return undefined;
  const shown = wrong.slice(0, MISCLASSIFIED_SHOWN);
  const rows: Float64Array[][] = [];
  const labels: string[][] = [];
  shown.forEach((j, i) => {
    if (i % PER_ROW === 0) {
      rows.push([]);
      labels.push([]);
    }
    rows.at(-1)!.push(column(test, j));
    labels.at(-1)!.push(`${names[test.y[j]]} → ${names[predicted[j]]}`);
  });
  const svg = plotImageGrid(rows, shape, {
    title: `${r.model.name}: ${shown.length} of ${wrong.length} misclassified`,
    labels,
  });
  return { svg, wrong: wrong.length };
}

/** What the confusion shows, in one or two sentences: the weakest class and what it is taken for. */
function confusionSentence(c: Confusion): string {
  const seen = c.perClass.filter((p) => p.examples > 0);
  const head = `On the ${c.examples} test images it is right ${c.correct} times (${((100 * c.correct) / c.examples).toFixed(1)}%).`;
  if (seen.length === 0 || c.correct === c.examples) return head;
  const weak = seen.reduce((a, p) => (p.accuracy < a.accuracy ? p : a));
  const row = c.counts[weak.label];
  let other = -1;
  row.forEach((n, k) => {
    if (k !== weak.label && (other < 0 || n > row[other])) other = k;
  });
  return `${head} Its weakest class is ${weak.name} (${weak.correct} of ${weak.examples}, ${(100 * weak.accuracy).toFixed(1)}%), most often taken for ${c.classes[other]} (${row[other]} times); the misclassified images beside show what it gets wrong.`;
}

/**
 * A model's image panels (HTML figures) and a sentence on what they show; pushes their SVGs onto
 * `figures`.
 */
export function imagePanels(
  r: ComparisonRow,
  data: DataBundle,
  classes: number,
  figures: ReportFigure[],
): { html: string[]; sentence: string } {
  const shape = data.train.shape;
  if (!shape) return { html: [], sentence: "" };
  let sentence = "There is no test set, so no confusion matrix or misclassified images.";
  const key = r.model.key;
  const names = classNamesOf(data, classes);
  const out: string[] = [];
  const test = data.test;
  if (test) {
    const predicted = r.result.network.predict(test.X);
    const title = `${r.model.name} — confusion on the ${test.X.cols} test images`;
    const confusion = confusionMatrix(test.y, predicted, names);
    sentence = confusionSentence(confusion);
    const svg = plotConfusionMatrix(confusion, { title });
    figures.push({ name: `confusion-${key}`, title, svg });
    out.push(
      figureHtml(
        svg,
        `Confusion matrix (the first seed's run): true class down, predicted across, each row's accuracy at its end. PNG: <code>confusion-${esc(key)}.png</code>`,
      ),
    );
    const mis = misclassifiedGrid(r, test, predicted, names, shape);
    if (mis) {
      figures.push({ name: `misclassified-${key}`, title: `${r.model.name} — misclassified`, svg: mis.svg });
      out.push(
        figureHtml(
          mis.svg,
          `Misclassified test images, the first ${Math.min(mis.wrong, MISCLASSIFIED_SHOWN)} of ${mis.wrong} in test-set order, captioned true → predicted. PNG: <code>misclassified-${esc(key)}.png</code>`,
        ),
      );
    }
  }
  const aug = augmentedGrid(r, data.train, shape);
  if (aug) {
    figures.push({ name: `augmented-${key}`, title: `${r.model.name} — augmented samples`, svg: aug });
    out.push(
      figureHtml(
        aug,
        `Training images (left) and samples of this model's augmentation, <code>${esc(r.model.augment!.spec)}</code>, drawn with the first seed; dev and test images are never augmented. PNG: <code>augmented-${esc(key)}.png</code>`,
      ),
    );
  }
  if (r.model.augment) sentence += " The augmented samples show the kind of images it trained on.";
  return { html: out, sentence };
}
