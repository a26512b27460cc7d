import { beforeAll, describe, expect, it, vi } from 'vitest';
import { TieredTopicClassifier } from '../../shared/adapters/aws/bedrock-topic-classifier.ts';
import type { Glossary } from '../../shared/domain/classification/glossary.ts';
import { LocalTopicClassifier, loadTaxonomyAndExamples, type ClassifierKnowledge, type TopicExample } from '../../shared/adapters/in-process/local-topic-classifier.ts';
import { trainClassifier } from '../../shared/domain/classification/classifier.ts';
import { detectLanguage } from '../../shared/domain/classification/language-detection.ts';
import { normaliseEnquiryText } from '../../shared/domain/classification/normalise.ts';
import { DEFAULT_FEATURE_OPTIONS } from '../../shared/domain/classification/features.ts';
import { stratifiedSplit } from '../../shared/domain/random.ts';
import { TextClassifier, trainClassifier as trainTextClassifier } from '../../shared/domain/classification/text-classifier.ts';
import { TopicResultSchema, type TopicResult } from '../../shared/domain/classification/topic-result.ts';
import { toSimplified } from '../../shared/domain/drafting/script.ts';
import type { TopicClassifier } from '../../shared/ports/topic-classifier.ts';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';

let examples: TopicExample[];
let glossary: Glossary;
let knowledge: ClassifierKnowledge;
let classifier: LocalTopicClassifier;

beforeAll(async () => {
  knowledge = await loadTaxonomyAndExamples(KNOWLEDGE_DIR);
  ({ examples, glossary } = knowledge);
  classifier = await LocalTopicClassifier.load(KNOWLEDGE_DIR);
});

describe('text normalisation', () => {
  it('folds full-width characters, case and whitespace', () => {
    expect(normaliseEnquiryText('  ＡＢＣ　１２３ Street\tLIGHT ')).toBe('abc 123 street light');
    expect(normaliseEnquiryText('ＷＡＴＥＲ！')).toBe('water!');
  });

  it('gives Simplified and Traditional (including variant forms) the same text', () => {
    expect(normaliseEnquiryText('楼上渗水，卫生间天花板滴水')).toBe(normaliseEnquiryText('樓上滲水，衞生間天花板滴水'));
    expect(normaliseEnquiryText('衛生')).toBe(normaliseEnquiryText('衞生'));
    expect(normaliseEnquiryText('Rubbish 垃圾')).toBe('rubbish 垃圾');
  });
});

describe('local topic classifier', () => {
  it.each([
    '我哋屋苑樓下啲街燈壞咗成個禮拜，夜晚黑蒙蒙好危險。',
    '屯門公園隔籬有棵大樹斜得好犀利，樹幹仲有裂痕。',
    '請問薪俸稅報稅表幾時寄出？我搬咗屋要點樣通知稅務局？',
    '隔籬地盤夜晚十一點仲打樁，嘈到瞓唔到。',
  ])('gives the same topic and confidence for %s in Traditional and Simplified script', async (traditional) => {
    const simplified = toSimplified(traditional);
    expect(simplified).not.toBe(traditional);
    const [a, b] = await Promise.all([classifier.classify({ text: traditional }), classifier.classify({ text: simplified })]);
    expect(b.topic).toBe(a.topic);
    expect(b.confidence).toBe(a.confidence);
  });

  it.each([
    ['啲 rubbish 成日冇人收，垃圾站臭到上嚟', 'refuse_collection'],
    ['條街啲 street light 壞咗成個禮拜，好 dark', 'street_light_fault'],
    ['隔籬屋成晚 party 好 noisy，嘈到瞓唔到', 'noise_neighbourhood'],
    ['屋企個 water bill 貴咗好多，想 check 吓個錶', 'water_bill'],
    ['The 水管 burst outside our building and water is everywhere', 'water_main_burst'],
  ])('handles Cantonese-English code-mixing: %s', async (text, topic) => {
    const result = await classifier.classify({ text });
    expect(result.topic).toBe(topic);
  });

  it('returns a result that satisfies the schema, with department and urgency from the taxonomy', async () => {
    const result = await classifier.classify({ text: 'A big tree has fallen across the road and is blocking traffic.' });
    expect(TopicResultSchema.safeParse(result).success).toBe(true);
    expect(result).toMatchObject({ topic: 'tree_risk', department: 'DEVB', urgency: 'urgent', language: 'en-US', source: 'local' });
    expect(result.rationale.length).toBeLessThanOrEqual(500);
  });

  it('keeps the default urgency when no urgent keyword is present, and escalates on Simplified keywords too', async () => {
    expect((await classifier.classify({ text: 'How can I pay my water bill online?' })).urgency).toBe('routine');
    expect((await classifier.classify({ text: '屋后的斜坡山泥倾泻，泥石冲到路上' })).urgency).toBe('urgent');
  });

  it('uses the caller language when it is given', async () => {
    expect((await classifier.classify({ text: 'street light broken', language: 'zh-HK' })).language).toBe('zh-HK');
  });

  it('flags nonsense and low-evidence text as unsure instead of accepting a guess, and never gives a two-word text 0.99', () => {
    const nonsense = classifier.classifySync('qwzx plorf zintak vebble');
    expect(nonsense.accepted).toBe(false);
    expect(nonsense.rationale).toMatch(/unsure/);
    expect(nonsense.confidence).toBeLessThan(classifier.acceptThreshold);
    for (const short of ['help please', 'broken', '唔該', 'hello?', 'gas leak', '街燈壞咗', 'lift broken']) {
      const result = classifier.classifySync(short);
      expect(result.confidence, short).toBeLessThanOrEqual(0.9);
      expect(result.accepted, short).toBe(false);
    }
  });

  it('accepts a clear enquiry, with the top three candidates, a case type and a configurable threshold', async () => {
    const text = 'The street lights outside the bus stop in Sha Tin have all been out for three nights, it is pitch dark.';
    const result = classifier.classifySync(text);
    expect(result).toMatchObject({ topic: 'street_light_fault', department: 'HyD', accepted: true });
    expect(result.candidates?.[0]).toMatchObject({ topic: 'street_light_fault', department: 'HyD' });
    expect(result.candidates).toHaveLength(3);
    expect(['complaint', 'service_request']).toContain(result.caseType);
    expect(classifier.classifySync('How do I renew my library card and what are the opening hours?').caseType).toBe('enquiry');
    const strict = await LocalTopicClassifier.load(KNOWLEDGE_DIR, { acceptAtOrAbove: 0.999_999 });
    expect(strict.classifySync(text).accepted).toBe(false);
  });

  it('routes by department first: the department with most probability, then its most likely topic', () => {
    for (const text of ['The restaurant downstairs runs its exhaust fan all night and the noise keeps us awake', '我唔見咗張圖書證，點樣補領？']) {
      const result = classifier.classifySync(text);
      expect(result.candidates?.some((c) => c.topic === result.topic)).toBe(true);
      expect(result.department).toBe(result.candidates?.find((c) => c.topic === result.topic)?.department);
    }
    expect(classifier.classifySync('The restaurant downstairs runs its exhaust fan all night and the noise keeps us awake').department).toBe('EPD');
    expect(classifier.classifySync('我唔見咗張圖書證，點樣補領？').topic).toBe('library_services');
  });
});

describe('text classifier', () => {
  const tiny = [
    { text: 'hello there', label: 'greet' },
    { text: 'good morning to you', label: 'greet' },
    { text: 'hi, how are you', label: 'greet' },
    { text: '早晨，你好', label: 'greet' },
    { text: 'goodbye for now', label: 'bye' },
    { text: 'see you later', label: 'bye' },
    { text: 'bye bye, take care', label: 'bye' },
    { text: '拜拜，再見', label: 'bye' },
  ];

  it('trains on any labels', () => {
    const model = trainClassifier(tiny);
    expect([...model.labels].sort()).toEqual(['bye', 'greet']);
    expect(model.predict('hello, good morning').label).toBe('greet');
    expect(model.predict('再见').label).toBe('bye');
  });

  it('is deterministic: training twice gives the same model, byte for byte', () => {
    const { train } = stratifiedSplit(examples, 0.85, 7);
    expect(JSON.stringify(trainTextClassifier(train))).toBe(JSON.stringify(trainTextClassifier(train)));
  });

  it('serialises to JSON and back without changing a prediction', () => {
    const model = trainTextClassifier(examples.slice(0, 400));
    const reloaded = TextClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    for (const example of examples.slice(400, 440)) expect(reloaded.predict(example.text)).toEqual(model.predict(example.text));
  });

  it('reloads a glossary model only with the glossary it was trained with', () => {
    const features = { ...DEFAULT_FEATURE_OPTIONS, glossary };
    const model = trainTextClassifier(examples.slice(0, 400), { features });
    const json = JSON.parse(JSON.stringify(model.toJSON())) as unknown;
    expect(JSON.stringify(json)).not.toContain('水喉'); // the glossary ships separately; the model keeps its digest
    const reloaded = TextClassifier.fromJSON(json, { glossary });
    for (const example of examples.slice(400, 440)) expect(reloaded.predict(example.text)).toEqual(model.predict(example.text));
    expect(() => TextClassifier.fromJSON(json)).toThrow(/trained with a glossary; pass the same glossary/);
    const other = new Map(glossary);
    other.set('水喉', ['faucet']);
    expect(() => TextClassifier.fromJSON(json, { glossary: other })).toThrow(/different glossary; retrain/);
  });

  it('rejects a serialised model whose arrays do not fit together', () => {
    const json = trainTextClassifier(tiny).toJSON();
    expect(() => TextClassifier.fromJSON({ ...json, weightScales: json.weightScales.slice(0, -8) })).toThrow(/inconsistent array lengths/);
    expect(() => TextClassifier.fromJSON({ ...json, version: 1 })).toThrow(/version/);
  });

});

describe('language detection', () => {
  it.each([
    ['The street light outside my flat is broken.', 'en-US'],
    ['Please fix the street light at 旺角 Nathan Road near the MTR exit', 'en-US'],
    ['我哋條街啲街燈壞咗', 'zh-HK'],
    ['啲 rubbish 成日冇人收', 'zh-HK'],
    ['本人單位天花板出現滲水情況，懇請派員調查。', 'zh-HK'],
    ['楼上渗水，请派人调查。', 'zh-CN'],
    ['我哋条街啲街灯坏咗', 'zh-HK'], // Cantonese written in Simplified is still a Cantonese caller
    ['我想问一下薪俸税的报税表什么时候寄出', 'zh-CN'],
  ] as const)('%s → %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });
});

describe('tiered strategy', () => {
  const result = (overrides: Partial<TopicResult>): TopicResult => ({
    topic: 'street_light_fault',
    department: 'HyD',
    urgency: 'routine',
    confidence: 0.9,
    language: 'en-US',
    rationale: 'test',
    source: 'local',
    caseType: 'complaint',
    accepted: true,
    candidates: [{ topic: 'street_light_fault', department: 'HyD', confidence: 0.9 }],
    ...overrides,
  });
  const fake = (answer: TopicResult): TopicClassifier & { classify: ReturnType<typeof vi.fn> } => ({ classify: vi.fn(async () => answer) });

  it('accepts an answer the local model accepts without asking Bedrock', async () => {
    const local = fake(result({ confidence: 0.92 }));
    const remote = fake(result({ source: 'bedrock' }));
    const answer = await new TieredTopicClassifier(local, remote).classify({ text: 'x' });
    expect(answer.source).toBe('local');
    expect(remote.classify).not.toHaveBeenCalled();
  });

  it('asks Bedrock when the local model is unsure, with the local top three candidates', async () => {
    const candidates = [
      { topic: 'street_light_fault', department: 'HyD', confidence: 0.41 },
      { topic: 'road_damage', department: 'HyD', confidence: 0.3 },
      { topic: 'traffic_signal_fault', department: 'TD', confidence: 0.1 },
    ] as const;
    const local = fake(result({ confidence: 0.41, accepted: false, candidates: [...candidates] }));
    const remote = fake(result({ source: 'bedrock', topic: 'road_damage', department: 'HyD' }));
    const answer = await new TieredTopicClassifier(local, remote).classify({ text: 'x', language: 'en-US' });
    expect(answer).toMatchObject({ source: 'bedrock', topic: 'road_damage' });
    expect(remote.classify).toHaveBeenCalledWith({ text: 'x', language: 'en-US', candidates: [...candidates] });
  });

  it('asks Bedrock for a second opinion before calling anything out of scope', async () => {
    const local = fake(result({ topic: 'out_of_scope', department: 'EFFO', confidence: 0.95 }));
    const remote = fake(result({ source: 'bedrock' }));
    await new TieredTopicClassifier(local, remote).classify({ text: 'x' });
    expect(remote.classify).toHaveBeenCalledOnce();
  });
});
