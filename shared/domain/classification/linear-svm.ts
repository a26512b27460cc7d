/**
 * A linear support vector machine: LIBLINEAR's dual coordinate descent for the L2-regularised, L2-loss
 * (squared hinge) SVM (Hsieh et al. 2008). The topic classifier adds its one-vs-rest margins to the
 * softmax scores (text-classifier.ts); bench/intent-baseline.ts uses it as the classic yardstick.
 */

export interface SvmOptions {
  /** Cost C (LinearSVC's C): higher fits the training data harder. */
  c: number;
  /** Stopping tolerance on the projected-gradient spread (LIBLINEAR's eps). */
  tolerance: number;
  maxIterations: number;
}

/** Rows of a sparse matrix (compressed sparse rows); column indices ascending within a row. */
export interface SparseRows {
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
  columnCount: number;
}

/**
 * LIBLINEAR `solve_l2r_l1l2_svc` for the L2 loss: min_α ½αᵀQ̄α − eᵀα, α ≥ 0, Q̄ = Q + I/(2C), by coordinate
 * descent over a shuffled active set with shrinking. Labels `y` are ±1; the last weight is the bias (each
 * row carries an implicit feature 1). Returns the weights and how many outer iterations it took.
 */
export function solveL2LossSvmDual(x: SparseRows, y: Int8Array, options: SvmOptions, random: () => number): { w: Float64Array; iterations: number } {
  const l = y.length;
  const { rowStart, columns, values, columnCount } = x;
  const w = new Float64Array(columnCount + 1);
  const alpha = new Float64Array(l);
  const diag = 0.5 / options.c;
  const qd = new Float64Array(l);
  const index = new Int32Array(l);
  for (let i = 0; i < l; i += 1) {
    let sq = 1; // the bias feature
    for (let n = rowStart[i] as number; n < (rowStart[i + 1] as number); n += 1) sq += (values[n] as number) ** 2;
    qd[i] = sq + diag;
    index[i] = i;
  }
  let activeSize = l;
  let pgMaxOld = Infinity;
  let pgMinOld = -Infinity;
  let iterations = 0;
  while (iterations < options.maxIterations) {
    let pgMaxNew = -Infinity;
    let pgMinNew = Infinity;
    for (let s = 0; s < activeSize; s += 1) {
      const j = s + Math.floor(random() * (activeSize - s));
      const swap = index[s] as number;
      index[s] = index[j] as number;
      index[j] = swap;
    }
    for (let s = 0; s < activeSize; s += 1) {
      const i = index[s] as number;
      const yi = y[i] as number;
      const start = rowStart[i] as number;
      const end = rowStart[i + 1] as number;
      let dot = w[columnCount] as number;
      for (let n = start; n < end; n += 1) dot += (w[columns[n] as number] as number) * (values[n] as number);
      const g = yi * dot - 1 + (alpha[i] as number) * diag;
      let pg = 0;
      if (alpha[i] === 0) {
        if (g > pgMaxOld) {
          activeSize -= 1;
          index[s] = index[activeSize] as number;
          index[activeSize] = i;
          s -= 1;
          continue;
        } else if (g < 0) pg = g;
      } else pg = g; // no upper bound for the L2 loss
      if (pg > pgMaxNew) pgMaxNew = pg;
      if (pg < pgMinNew) pgMinNew = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i] as number;
        const next = Math.max(old - g / (qd[i] as number), 0);
        alpha[i] = next;
        const d = (next - old) * yi;
        for (let n = start; n < end; n += 1) w[columns[n] as number] = (w[columns[n] as number] as number) + d * (values[n] as number);
        w[columnCount] = (w[columnCount] as number) + d;
      }
    }
    iterations += 1;
    if (pgMaxNew - pgMinNew <= options.tolerance) {
      if (activeSize === l) break;
      activeSize = l;
      pgMaxOld = Infinity;
      pgMinOld = -Infinity;
      continue;
    }
    pgMaxOld = pgMaxNew > 0 ? pgMaxNew : Infinity;
    pgMinOld = pgMinNew < 0 ? pgMinNew : -Infinity;
  }
  void pgMinOld; // kept for parity with LIBLINEAR, which tracks it but only uses it for the L1 loss bound
  return { w, iterations };
}
