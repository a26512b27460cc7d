import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GLOSSARY_FILE, loadGlossary } from '../../shared/adapters/in-process/local-topic-classifier.ts';
import { englishStems, glossaryDigest, glossaryFromTsv, glossaryToTsv, glossFeatures, stemsOfSenses, type Glossary } from '../../shared/domain/classification/glossary.ts';
import { extractFeatures } from '../../shared/domain/classification/features.ts';
import { normaliseEnquiryText } from '../../shared/domain/classification/normalise.ts';
import { buildGlossary, glossaryFile, parseSupplement } from '../../local/build-glossary.ts';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';

const gFeatures = (text: string, glossary: Glossary = new Map([['水喉', ['water', 'pipe']], ['爆', ['burst']], ['爆水', ['spurt']]])) => {
  const out: string[] = [];
  const normalised = normaliseEnquiryText(text);
  glossFeatures(normalised, normalised.split(' '), glossary, out);
  return out;
};

describe('glossary features', () => {
  it('stems English words and drops stop words', () => {
    expect(englishStems(['The', 'pipes', 'burst', 'and', 'FLOODED', 'it', 'x', 'Nathan2'])).toEqual(['pipe', 'burst', 'flood']);
  });

  it('matches the longest Chinese words first, so a Chinese and an English enquiry share features', () => {
    expect(gFeatures('爆水喉')).toEqual(['g:spurt']); // 爆水 is the longest match at the start, then 喉 is unknown
    expect(gFeatures('個水喉爆咗')).toEqual(['g:water', 'g:pipe', 'g:burst']);
    expect(gFeatures('burst water pipes')).toEqual(['g:burst', 'g:water', 'g:pipe']);
  });

  it('turns dictionary senses into stems, skipping classifiers, names, cross-references and explanations', () => {
    expect(stemsOfSenses(['street lamp', 'street light', 'CL:盞|盏[zhan3]'])).toEqual(['street', 'lamp', 'light']);
    expect(stemsOfSenses(['surname Wang', 'Beijing', 'variant of 燈|灯[deng1]'])).toEqual([]);
    expect(stemsOfSenses(['(of water) to seep', 'a long explanation of a rare literary usage in poems'])).toEqual(['seep']);
  });

  it('round-trips through the shipped TSV form and names a malformed line', () => {
    const glossary = new Map([['路燈', ['street', 'lamp']], ['水', ['water']]]);
    expect(new Map(glossaryFromTsv(glossaryToTsv(glossary)))).toEqual(new Map([['水', ['water']], ['路燈', ['street', 'lamp']]]));
    expect(() => glossaryFromTsv('# ok\n水\twater\n燈 lamp\n', 'glossary/x.tsv')).toThrow(/glossary\/x\.tsv:3: expected/);
    expect(() => parseSupplement('水\tWater!\n', 'cantonese-hk.tsv')).toThrow(/cantonese-hk\.tsv:1/);
    expect(glossaryDigest(glossary)).toBe(glossaryDigest(new Map(glossary)));
    expect(glossaryDigest(glossary)).not.toBe(glossaryDigest(new Map([['水', ['water']]])));
  });

  it('adds glossary features to the extracted features only when a glossary is given', () => {
    const text = normaliseEnquiryText('樓上漏水');
    const glossary = new Map([['漏水', ['leak']]]);
    expect(extractFeatures(text, { hanNgramMax: 1, latinNgramSizes: [], wordBigrams: false, glossary })).toContain('g:leak');
    expect(extractFeatures(text, { hanNgramMax: 1, latinNgramSizes: [], wordBigrams: false }).some((f) => f.startsWith('g:'))).toBe(false);
  });
});

describe('the shipped glossary', () => {
  it('is what build-glossary makes from CC-CEDICT and the Hong Kong supplement (rerun it after editing either)', () => {
    const supplement = readFileSync(join(KNOWLEDGE_DIR, 'glossary', 'cantonese-hk.tsv'), 'utf8');
    expect(glossaryFile(buildGlossary(supplement, 'cantonese-hk.tsv'))).toBe(readFileSync(join(KNOWLEDGE_DIR, GLOSSARY_FILE), 'utf8'));
  });

  it('knows Cantonese and Hong Kong words through the supplement, in either script', async () => {
    const glossary = await loadGlossary(KNOWLEDGE_DIR);
    expect(glossary.size).toBeGreaterThan(80_000);
    expect(glossary.get(normaliseEnquiryText('瞓'))).toContain('sleep');
    expect(gFeatures('啲垃圾冇人收', glossary)).toEqual(expect.arrayContaining(['g:garbag', 'g:without', 'g:collect']));
    expect(gFeatures('樓上冷氣機滴水', glossary)).toEqual(gFeatures('楼上冷气机滴水', glossary));
  });
});

describe('the shipped glossary as loaded at cold start (the file itself, searched in place)', () => {
  it('answers every word, and every near miss, as a Map of its entries does', async () => {
    const shipped = await loadGlossary(KNOWLEDGE_DIR);
    const asMap = new Map(shipped);
    expect(shipped).not.toBeInstanceOf(Map);
    expect(asMap.size).toBe(shipped.size);
    for (const [word, stems] of asMap) {
      expect(shipped.get(word)).toEqual(stems);
      for (const probe of [`${word}一`, word.slice(0, -1), `乂${word}`, `${word.slice(0, -1)}\uffff`]) expect(shipped.get(probe)).toEqual(asMap.get(probe));
    }
    expect(shipped.get('')).toBeUndefined();
    expect(shipped.has('water')).toBe(false);
  }, 60_000);

  it('is a plain Map when the file is not canonical (unsorted, a word twice, comments after entries), with the same answers', () => {
    const unsorted = glossaryFromTsv('街燈\tstreet light\n水費\twater bill\n');
    const twice = glossaryFromTsv('水費\twater\n水費\twater bill\n');
    const commented = glossaryFromTsv('水費\twater bill\n# note\n街燈\tstreet light\n');
    const canonical = glossaryFromTsv('# header\n水費\twater bill\n街燈\tstreet light\n');
    for (const glossary of [unsorted, twice, commented]) expect(glossary).toBeInstanceOf(Map);
    expect(canonical).not.toBeInstanceOf(Map);
    expect(twice.get('水費')).toEqual(['water', 'bill']);
    expect(new Map(canonical)).toEqual(new Map(commented));
    expect(canonical.get('街燈')).toEqual(['street', 'light']);
    expect(canonical.get('街')).toBeUndefined();
  });

  it('has the same digest read from the file bytes as from its text (classify reads the bytes)', () => {
    const file = readFileSync(join(KNOWLEDGE_DIR, GLOSSARY_FILE));
    expect(glossaryDigest(glossaryFromTsv(file))).toBe(glossaryDigest(glossaryFromTsv(file.toString('utf8'))));
    expect(glossaryDigest(glossaryFromTsv(Buffer.from('# h\n水費\twater bill\n')))).toBe(glossaryDigest(new Map([['水費', ['water', 'bill']]])));
  });

  it('still names a malformed line', () => {
    expect(() => glossaryFromTsv('# ok\n水\twater\n燈\tLamp\n', 'glossary/x.tsv')).toThrow(/glossary\/x\.tsv:3: expected/);
  });
});

describe('the shipped glossary loaded with the digest its model recorded (classify’s cold start)', () => {
  it('is the same glossary, its lines not checked again because the digest vouches for them', async () => {
    const checked = await loadGlossary(KNOWLEDGE_DIR);
    const vouched = await loadGlossary(KNOWLEDGE_DIR, glossaryDigest(checked));
    expect(vouched).not.toBeInstanceOf(Map);
    expect(glossaryDigest(vouched)).toBe(glossaryDigest(checked));
    expect(new Map(vouched)).toEqual(new Map(checked));
    for (const word of ['爆水喉', '水費', '街燈', '渠', '乂']) expect(vouched.get(word)).toEqual(checked.get(word));
  }, 60_000);

  it('still checks the order: a model trained on an unsorted glossary vouches for its lines, not for sorting', () => {
    // The digest of a Map is over its entries in its own order, so an unsorted file can carry the recorded digest.
    const trainedWith = new Map([
      ['街燈', ['street', 'light']],
      ['水費', ['water', 'bill']],
    ]);
    const loaded = glossaryFromTsv(Buffer.from('街燈\tstreet light\n水費\twater bill\n'), 'g', glossaryDigest(trainedWith));
    expect(loaded).toBeInstanceOf(Map);
    expect(new Map(loaded)).toEqual(trainedWith);
    expect(loaded.get('水費')).toEqual(['water', 'bill']);
  });

  it('checks every line when the body is not the one the digest names', () => {
    const recorded = glossaryDigest(new Map([['水', ['water']]]));
    expect(() => glossaryFromTsv(Buffer.from('水\twater\n燈\tLamp\n'), 'glossary/x.tsv', recorded)).toThrow(/glossary\/x\.tsv:2: expected/);
    expect(glossaryFromTsv(Buffer.from('# h\n水\twater\n'), 'g', recorded).get('水')).toEqual(['water']);
    // When the digest names the body, its lines are taken as the model was trained on them, without the pattern.
    const trainedInCode = new Map([['水', ['Water']]]);
    expect(() => glossaryFromTsv(Buffer.from('水\tWater\n'), 'g')).toThrow(/g:1: expected/);
    expect(glossaryFromTsv(Buffer.from('水\tWater\n'), 'g', glossaryDigest(trainedInCode)).get('水')).toEqual(['Water']);
  });
});

describe('glossary digest', () => {
  it('is the same whether taken from the shipped file as it stands or rebuilt from its entries', async () => {
    const shipped = await loadGlossary(KNOWLEDGE_DIR);
    expect(glossaryDigest(shipped)).toBe(glossaryDigest(new Map(shipped)));
  });

  it('rebuilds from the entries when the file is not canonical (comments or repeats after the first entry)', () => {
    const canonical = glossaryFromTsv('# header\n水費\twater bill\n街燈\tstreet light\n');
    const commented = glossaryFromTsv('# header\n水費\twater bill\n# note\n街燈\tstreet light\n');
    const repeated = glossaryFromTsv('水費\twater\n水費\twater bill\n街燈\tstreet light\n');
    expect(glossaryDigest(commented)).toBe(glossaryDigest(canonical));
    expect(glossaryDigest(repeated)).toBe(glossaryDigest(canonical));
    expect(glossaryDigest(canonical)).toBe(glossaryDigest(new Map(canonical)));
  });
});
