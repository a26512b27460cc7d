/*
 * Seeded randomness so training, splits and synthetic data are reproducible run to run.
 */

/** mulberry32: tiny, fast, good enough for shuffling; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle into a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * Stratified split: within each label, a seeded shuffle then the first `holdoutFraction` goes to the
 * held-out part (at least one item per label when the label has 2 or more). Label order is first-seen
 * order, so the result depends only on the input order and the seed.
 */
export function stratifiedSplit<T extends { label: string }>(
  items: readonly T[],
  holdoutFraction: number,
  seed: number,
): { train: T[]; holdout: T[] } {
  const random = seededRandom(seed);
  const byLabel = new Map<string, T[]>();
  for (const item of items) {
    const group = byLabel.get(item.label);
    if (group) group.push(item);
    else byLabel.set(item.label, [item]);
  }
  const train: T[] = [];
  const holdout: T[] = [];
  for (const group of byLabel.values()) {
    const mixed = shuffled(group, random);
    const count = group.length < 2 ? 0 : Math.max(1, Math.round(group.length * holdoutFraction));
    holdout.push(...mixed.slice(0, count));
    train.push(...mixed.slice(count));
  }
  return { train, holdout };
}

/** Stratified k-fold partition: each label's items, shuffled with the seed, dealt round-robin into k folds. */
export function stratifiedFolds<T extends { label: string }>(items: readonly T[], k: number, seed: number): T[][] {
  const random = seededRandom(seed);
  const folds: T[][] = Array.from({ length: k }, () => []);
  const byLabel = new Map<string, T[]>();
  for (const item of items) {
    const members = byLabel.get(item.label);
    if (members) members.push(item);
    else byLabel.set(item.label, [item]);
  }
  let next = 0;
  for (const group of byLabel.values()) {
    // Continuing the deal across labels keeps fold sizes within one of each other.
    for (const item of shuffled(group, random)) {
      (folds[next % k] as T[]).push(item);
      next += 1;
    }
  }
  return folds;
}
