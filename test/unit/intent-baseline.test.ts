import { describe, expect, it } from 'vitest';
import { charWbNgrams, fitTfidfUnion, trainIntentBaseline, wordNgrams } from '../../bench/intent-baseline.ts';
import { solveL2LossSvmDual, type SparseRows } from '../../shared/domain/classification/linear-svm.ts';
import { seededRandom } from '../../shared/domain/random.ts';

/**
 * The yardstick the local classifier is held to (bench/intent-baseline.ts) must stay the classic baseline:
 * scikit-learn's analyzers and LIBLINEAR's dual coordinate descent, checked on tiny sets.
 */

function rows(points: number[][]): SparseRows {
  const rowStart = new Int32Array(points.length + 1);
  const columns: number[] = [];
  const values: number[] = [];
  points.forEach((point, r) => {
    point.forEach((v, c) => {
      if (v !== 0) {
        columns.push(c);
        values.push(v);
      }
    });
    rowStart[r + 1] = columns.length;
  });
  return { rowStart, columns: Int32Array.from(columns), values: Float64Array.from(values), columnCount: points[0]?.length ?? 0 };
}

describe('intent baseline', () => {
  it('tokenises as scikit-learn: words of 2+ characters with bigrams; char_wb n-grams in padded words', () => {
    expect(wordNgrams('I am a Card-holder!')).toEqual(['am', 'card', 'holder', 'am card', 'card holder']);
    // What scikit-learn 1.2 gives: the padded word " hi " once, no longer n-grams (the word is shorter).
    expect(charWbNgrams('Hi', [2, 5])).toEqual([' h', 'hi', 'i ', ' hi', 'hi ', ' hi ']);
    expect(charWbNgrams('ab  cd', [4, 5])).toEqual([' ab ', ' cd ']);
    expect(charWbNgrams('a  b', [2, 2])).toEqual([' a', 'a ', ' b', 'b ']);
  });

  it('weights each block by sublinear tf × smoothed idf, each block L2-normalised', () => {
    const union = fitTfidfUnion(['aa bb', 'aa aa cc']);
    const x = union.transform(['aa aa cc']);
    let word = 0;
    let chars = 0;
    const wordColumns = union.blocks[0]?.idf.length ?? 0;
    x.columns.forEach((c, n) => (c < wordColumns ? (word += (x.values[n] as number) ** 2) : (chars += (x.values[n] as number) ** 2)));
    expect(word).toBeCloseTo(1, 12);
    expect(chars).toBeCloseTo(1, 12);
    expect(union.blocks[0]?.idf[union.blocks[0].index.get('aa') as number]).toBeCloseTo(1, 12); // in both texts: ln(3/3) + 1
    expect(union.blocks[0]?.idf[union.blocks[0].index.get('cc') as number]).toBeCloseTo(Math.log(3 / 2) + 1, 12);
  });

  it('solves a tiny separable problem: every point on the right side, the dual converged', () => {
    const x = rows([
      [2, 0],
      [1.5, 0.5],
      [3, 1],
      [0, 2],
      [0.5, 1.5],
      [1, 3],
    ]);
    const y = Int8Array.from([1, 1, 1, -1, -1, -1]);
    const { w, iterations } = solveL2LossSvmDual(x, y, { c: 1, tolerance: 1e-6, maxIterations: 1000 }, seededRandom(1));
    expect(iterations).toBeLessThan(1000);
    for (let i = 0; i < y.length; i += 1) {
      let score = w[2] as number;
      for (let n = x.rowStart[i] as number; n < (x.rowStart[i + 1] as number); n += 1) score += (w[x.columns[n] as number] as number) * (x.values[n] as number);
      expect(Math.sign(score)).toBe(y[i]);
    }
    // Symmetric data: the separating direction is x1 − x2.
    expect(w[0] as number).toBeGreaterThan(0);
    expect(w[1] as number).toBeLessThan(0);
    expect((w[0] as number) + (w[1] as number)).toBeCloseTo(0, 3);
  });

  it('trains one-vs-rest on text and is deterministic', () => {
    const train = [
      { text: 'my card has not arrived', label: 'card' },
      { text: 'where is my new card', label: 'card' },
      { text: 'card still not here', label: 'card' },
      { text: 'how do I top up', label: 'top_up' },
      { text: 'top up with bank transfer', label: 'top_up' },
      { text: 'my top up failed', label: 'top_up' },
      { text: 'what is the exchange rate', label: 'fx' },
      { text: 'exchange rate for euros', label: 'fx' },
      { text: 'bad exchange rate applied', label: 'fx' },
    ];
    const model = trainIntentBaseline(train);
    expect(model.labels).toEqual(['card', 'fx', 'top_up']);
    expect(['has my card arrived', 'top up please', 'the rate of exchange'].map((text) => model.predict(text))).toEqual(['card', 'top_up', 'fx']);
    expect(trainIntentBaseline(train).predict('card top up')).toBe(model.predict('card top up'));
  });
});
