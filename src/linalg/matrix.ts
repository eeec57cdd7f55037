/**
 * The dense matrix type of featlearn.
 *
 * Memory layout: ROW-MAJOR, contiguous, no padding. Entry (i, j) of a `rows x cols` matrix is
 * `data[i * cols + j]`. A vector is a plain typed array. Every backend reads and writes this layout in
 * place (the native backend passes the buffers to BLAS/LAPACK without copying where the routine allows).
 *
 * Precision is carried by the array type: `Float64Array` (float64) or `Float32Array` (float32).
 */
export type FloatArray = Float64Array | Float32Array;
export type Precision = 'float64' | 'float32';

export interface Matrix<T extends FloatArray = Float64Array> {
  readonly rows: number;
  readonly cols: number;
  readonly data: T;
}

/** A new zero matrix of the given precision (float64 unless told). */
export function zeros(rows: number, cols: number): Matrix<Float64Array>;
export function zeros(rows: number, cols: number, precision: 'float64'): Matrix<Float64Array>;
export function zeros(rows: number, cols: number, precision: 'float32'): Matrix<Float32Array>;
export function zeros(rows: number, cols: number, precision: Precision): Matrix<FloatArray>;
export function zeros(rows: number, cols: number, precision: Precision = 'float64'): Matrix<FloatArray> {
  checkShape(rows, cols);
  const data = precision === 'float32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  return { rows, cols, data };
}

/** Wraps an existing buffer (no copy); its length must be rows * cols. */
export function fromArray<T extends FloatArray>(rows: number, cols: number, data: T): Matrix<T> {
  checkShape(rows, cols);
  if (data.length !== rows * cols) {
    throw new RangeError(`matrix data: expected length rows*cols = ${rows * cols}, got ${data.length}`);
  }
  return { rows, cols, data };
}

/** Builds a float64 matrix from nested rows (for tests and small inputs). */
export function fromRows(rowsData: readonly (readonly number[])[]): Matrix<Float64Array> {
  const rows = rowsData.length;
  const cols = rows === 0 ? 0 : rowsData[0].length;
  const m = zeros(rows, cols);
  rowsData.forEach((r, i) => {
    if (r.length !== cols) throw new RangeError(`fromRows: row ${i} has ${r.length} entries, expected ${cols}`);
    m.data.set(r, i * cols);
  });
  return m;
}

export function identity(n: number): Matrix<Float64Array> {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

export function get(m: Matrix<FloatArray>, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

export function clone<T extends FloatArray>(m: Matrix<T>): Matrix<T> {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() as T };
}

/** The transpose, as a new matrix of the same precision. */
export function transpose<T extends FloatArray>(m: Matrix<T>): Matrix<T> {
  const out = { rows: m.cols, cols: m.rows, data: new (m.data.constructor as new (n: number) => T)(m.data.length) };
  const { rows, cols, data } = m;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.data[j * rows + i] = data[i * cols + j];
  return out;
}

export function precisionOf(a: FloatArray): Precision {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

function checkShape(rows: number, cols: number): void {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`matrix rows: expected a non-negative integer, got ${rows}`);
  if (!Number.isInteger(cols) || cols < 0) throw new RangeError(`matrix cols: expected a non-negative integer, got ${cols}`);
}
