/** A dense row-major Float64 matrix: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (data && data.length !== rows * cols) {
    throw new RangeError(`matrix data has ${data.length} values, expected ${rows}×${cols}`);
  }
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** Builds a matrix from nested arrays (one inner array per row). */
export function fromRows(rows: ArrayLike<ArrayLike<number>>): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const out = matrix(r, c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new RangeError(`row ${i} has ${rows[i].length} values, expected ${c}`);
    for (let j = 0; j < c; j++) out.data[i * c + j] = rows[i][j];
  }
  return out;
}

export function transpose(a: Matrix): Matrix {
  const out = matrix(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = a.data[i * a.cols + j];
  }
  return out;
}
