import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureNameIndex, featureNamesFromIndex, featureNamesFromLines, featureNamesFromList } from '../../shared/domain/classification/feature-names.ts';
import { decodeShippedModel, encodeShippedModel } from '../../shared/domain/classification/model-binary.ts';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';
import { TOPIC_MODEL_FILE } from '../../shared/adapters/in-process/local-topic-classifier.ts';

describe('feature names read in place from the model file', () => {
  it('answer as the Map over the shipped model’s own names, and know no other name', () => {
    const { model } = decodeShippedModel(readFileSync(join(KNOWLEDGE_DIR, TOPIC_MODEL_FILE)));
    for (const part of [model.topics, model.caseTypes]) {
      if (!part) continue;
      const names = part.features;
      const inPlace = featureNamesFromLines(names.join('\n'));
      const map = featureNamesFromList(names);
      expect(inPlace.size).toBe(names.length);
      names.forEach((name, i) => {
        expect(inPlace.nameAt(i)).toBe(name);
        expect(inPlace.indexOf(name)).toBe(map.indexOf(name));
      });
      // Prefixes, extensions and near misses of real names are unknown, as in the Map.
      for (const name of names.slice(0, 2_000)) {
        for (const other of [`${name}x`, name.slice(0, -1), `x${name}`, name.toUpperCase()]) expect(inPlace.indexOf(other)).toBe(map.indexOf(other));
      }
    }
  });

  it('handle no names, one name, an empty name and a name listed twice as the Map does', () => {
    expect(featureNamesFromLines('').size).toBe(0);
    expect(featureNamesFromLines('').indexOf('')).toBeUndefined();
    const one = featureNamesFromLines('w:水');
    expect([one.size, one.indexOf('w:水'), one.indexOf('w:')]).toEqual([1, 0, undefined]);
    const names = ['a', '', 'b', 'a', 'c:水浸'];
    const inPlace = featureNamesFromLines(names.join('\n'));
    const map = featureNamesFromList(names);
    expect(inPlace.size).toBe(5);
    for (const name of [...names, 'd', '水浸']) expect(inPlace.indexOf(name)).toBe(map.indexOf(name));
    expect(names.map((_, i) => inPlace.nameAt(i))).toEqual(names);
  });

  it('come with the index the current code builds: the shipped file is what writing its own content gives', () => {
    // The index is written with the model; if hashing or probing changed without writing the model again, the
    // stored index would miss names. Re-encoding the decoded file rebuilds every index with the current code.
    const shipped = readFileSync(join(KNOWLEDGE_DIR, TOPIC_MODEL_FILE));
    expect(encodeShippedModel(decodeShippedModel(shipped)).equals(shipped), 'stale index: run npm run assist -- train-model').toBe(true);
  });

  it('refuse an index that does not fit the names, naming what is wrong', () => {
    const text = ['a', 'bb', '', 'c:水'].join('\n');
    const { starts, slots } = featureNameIndex(text);
    const damaged = (change: (copy: { starts: Int32Array; slots: Int32Array }) => void) => {
      const copy = { starts: starts.slice(), slots: slots.slice() };
      change(copy);
      return () => featureNamesFromIndex(text, copy);
    };
    expect(damaged(() => undefined)).not.toThrow();
    expect(damaged((c) => (c.starts[4] = 99))).toThrow('feature name index does not fit its names: line starts');
    expect(damaged((c) => (c.starts[2] = 3))).toThrow('feature name index does not fit its names: line 2');
    expect(damaged((c) => (c.slots[0] = 5))).toThrow('feature name index does not fit its names: slot 0');
    expect(() => featureNamesFromIndex(text, { starts, slots: new Int32Array(4) })).toThrow('table capacity');
    expect(() => featureNamesFromIndex(`${text}\nd`, { starts, slots })).toThrow('line starts');
    expect(damaged((c) => (c.starts[3] = c.starts[2] as number))).toThrow('feature name index does not fit its names: line 3');
  });

  it('miss a name rather than answer another feature when the table is damaged', () => {
    const names = Array.from({ length: 500 }, (_, i) => `w:${i}`);
    const text = names.join('\n');
    const { starts, slots } = featureNameIndex(text);
    const scrambled = slots.slice().reverse();
    const names2 = featureNamesFromIndex(text, { starts, slots: scrambled });
    let found = 0;
    names.forEach((name, i) => {
      const answer = names2.indexOf(name);
      if (answer !== undefined) {
        expect(answer).toBe(i);
        found += 1;
      }
    });
    expect(found).toBeLessThan(names.length);
  });
});
