import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureNamesFromLines, featureNamesFromList } from '../../shared/domain/classification/feature-names.ts';
import { decodeShippedModel } from '../../shared/domain/classification/model-binary.ts';
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
});
