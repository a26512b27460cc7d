import { beforeAll, describe, expect, it } from 'vitest';
import { FileKnowledgeBase } from '../../shared/adapters/in-process/file-knowledge-base.ts';
import { TemplateReplyDrafter } from '../../shared/adapters/in-process/template-reply-drafter.ts';
import { DraftReplySchema } from '../../shared/domain/drafting/draft-reply.ts';
import { phoneNumbersIn, validateDraft } from '../../shared/domain/drafting/draft-validator.ts';
import { profileScript, toSimplified } from '../../shared/domain/drafting/script.ts';
import { parseReplyTemplates, renderSmsText } from '../../shared/domain/drafting/templates.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { LANGUAGES, type Language } from '../../shared/vocabulary/languages.ts';
import { TOPIC_IDS, type DepartmentId, type TopicId } from '../../shared/vocabulary/topics.ts';
import type { DraftRequest } from '../../shared/ports/reply-drafter.ts';

let knowledge: FileKnowledgeBase;
let drafter: TemplateReplyDrafter;
beforeAll(async () => {
  knowledge = await FileKnowledgeBase.load();
  drafter = new TemplateReplyDrafter(knowledge, knowledge.replyTemplates());
});

function requestFor(topic: TopicId, language: Language, redactedText = 'Please help with this problem.'): DraftRequest {
  const department = knowledge.articlesFor(topic)[0]?.department as DepartmentId;
  return { enquiryId: 'ENQ-20250301-ABCDEFGHJKMN', redactedText, topic, department, urgency: 'routine', language };
}

describe('local template drafter', () => {
  it('replies to an English caller in English, citing the topic article', async () => {
    const draft = await drafter.draft(requestFor('water_bill', 'en-US', 'My water bill is far too high this month'));
    expect(draft).toMatchObject({ script: 'en', language: 'en-US', source: 'local', citedArticleIds: ['KB-WATER-BILL-01'], flags: [] });
    expect(draft.text).toContain('Water Supplies Department');
    expect(draft.text).toContain('2824 5000');
    expect(draft.text).toContain('KB-WATER-BILL-01');
    expect(profileScript(draft.text).hanChars).toBe(0);
    expect(DraftReplySchema.parse(draft)).toEqual(draft);
  });

  it('replies to a Cantonese caller in written Traditional Chinese', async () => {
    const draft = await drafter.draft(requestFor('refuse_collection', 'zh-HK', '啲垃圾成日冇人收'));
    expect(draft.script).toBe('zh-Hant');
    expect(draft.text).toContain('食物環境衞生署');
    expect(profileScript(draft.text)).toMatchObject({ simplifiedOnly: 0 });
    expect(draft.flags).toEqual([]);
  });

  it('replies to a Mandarin caller in Simplified Chinese derived from the Traditional article', async () => {
    const draft = await drafter.draft(requestFor('refuse_collection', 'zh-CN', '垃圾一直没人收'));
    expect(draft.script).toBe('zh-Hans');
    expect(draft.text).toContain('食物环境卫生署');
    expect(profileScript(draft.text)).toMatchObject({ traditionalOnly: 0 });
    expect(draft.text).toContain(toSimplified(knowledge.articlesFor('refuse_collection')[0]?.body['zh-Hant'] ?? '?'));
    expect(draft.flags).toEqual([]);
  });

  it('answers an enquiry directly from the article, but acknowledges and refers a complaint of the same topic', async () => {
    const question = await drafter.draft({ ...requestFor('library_services', 'en-US', 'How do I replace a lost library card?'), caseType: 'enquiry' });
    const complaint = await drafter.draft({ ...requestFor('library_services', 'en-US', 'The library staff were rude and the book drop is always full'), caseType: 'complaint' });
    expect(question.text).not.toMatch(/passed your enquiry|referred|轉交/);
    expect(question.text).toContain('Here is the information you asked for');
    expect(complaint.text).toMatch(/passed your enquiry .* to the Leisure and Cultural Services Department for follow-up/);
    // Both grounded in the same article, so both carry its facts and citation.
    for (const draft of [question, complaint]) {
      expect(draft.citedArticleIds).toEqual(['KB-LIBRARY-SERVICES-01']);
      expect(draft.flags).toEqual([]);
    }
    const zhQuestion = await drafter.draft({ ...requestFor('library_services', 'zh-HK', '點樣補領圖書證？'), caseType: 'enquiry' });
    const zhComplaint = await drafter.draft({ ...requestFor('library_services', 'zh-HK', '圖書館職員態度差'), caseType: 'service_request' });
    expect(zhQuestion.text).not.toContain('轉交');
    expect(zhComplaint.text).toContain('轉交康樂及文化事務署跟進');
    const compliment = await drafter.draft({ ...requestFor('library_services', 'en-US', 'The librarian at Sha Tin was so helpful!'), caseType: 'compliment' });
    expect(compliment.text).toContain('passed your compliment to the Leisure and Cultural Services Department');
  });

  it('is deterministic', async () => {
    const request = requestFor('tree_risk', 'zh-HK', '有棵樹就快塌');
    expect(await drafter.draft(request)).toEqual(await drafter.draft(request));
  });

  it('adds the safety note for urgent enquiries and the fees an article lists', async () => {
    const draft = await drafter.draft({ ...requestFor('travel_document', 'en-US'), urgency: 'urgent' });
    expect(draft.text).toContain('999');
    expect(draft.text).toContain('HK$460');
    expect(draft.flags).toEqual([]);
  });

  it.each(LANGUAGES)('drafts every topic in %s without flags', async (language) => {
    for (const topic of TOPIC_IDS) {
      const draft = await drafter.draft(requestFor(topic, language));
      expect(draft.flags, `${topic} ${language}`).toEqual([]);
      expect(draft.citedArticleIds[0], topic).toMatch(/^KB-/);
    }
  });

  it.each(LANGUAGES)('never puts personal data or the enquiry text into a %s draft', async (language) => {
    const redactedText =
      'My name is [NAME], HKID [HKID], call me on [PHONE] or [EMAIL]. I live at [ADDRESS]. ' +
      'The rubbish bin outside my block has not been emptied for five days and it smells terrible.';
    const draft = await drafter.draft(requestFor('refuse_collection', language, redactedText));
    expect(draft.text).not.toMatch(/\[(NAME|HKID|PHONE|EMAIL|ADDRESS|CARD)\]/);
    expect(draft.text).not.toContain('has not been emptied for five days');
    expect(phoneNumbersIn(draft.text)).toEqual(['2868 0000']);
    expect(draft.text).not.toMatch(/@/);
  });
});

describe('draft validator', () => {
  const cleanEnglish = async () => drafter.draft(requestFor('food_hygiene_premises', 'en-US'));

  it('passes a clean draft, including the department home page and the number in international form', async () => {
    const draft = await cleanEnglish();
    const text = `${draft.text}\nYou can also call +852 2868-0000 or visit www.fehd.gov.hk.`;
    expect(validateDraft({ text, citedArticleIds: draft.citedArticleIds, language: 'en-US' }, knowledge.articlesFor('food_hygiene_premises'))).toEqual([]);
  });

  it('flags a phone number, web address and fee that no cited article gives', async () => {
    const draft = await cleanEnglish();
    const text = `${draft.text}\nCall +1 555 0100 or 9123 4567, pay HK$500 at http://evil.example/pay or www.evil.com.`;
    const flags = validateDraft({ text, citedArticleIds: draft.citedArticleIds, language: 'en-US' }, knowledge.articlesFor('food_hygiene_premises'));
    expect(flags.map((flag) => flag.kind).sort()).toEqual(['unsupported_fee', 'unsupported_phone', 'unsupported_phone', 'unsupported_url', 'unsupported_url']);
    expect(flags.map((flag) => flag.detail).join(' ')).toContain('http://evil.example/pay');
  });

  it('checks facts against the cited articles only, not every article in the knowledge base', async () => {
    const grounding = [...knowledge.articlesFor('water_bill'), ...knowledge.articlesFor('identity_card')];
    const text = 'Dear caller, a replacement card costs HK$370. Please call 2824 6111.';
    const kinds = validateDraft({ text, citedArticleIds: ['KB-WATER-BILL-01'], language: 'en-US' }, grounding).map((flag) => flag.kind);
    expect(kinds.sort()).toEqual(['unsupported_fee', 'unsupported_phone']);
  });

  it('flags a draft over the configured length', async () => {
    const draft = await cleanEnglish();
    const flags = validateDraft({ text: draft.text, citedArticleIds: draft.citedArticleIds, language: 'en-US' }, knowledge.articlesFor('food_hygiene_premises'), {
      maxChars: 200,
    });
    expect(flags).toEqual([{ kind: 'too_long', detail: expect.stringContaining('more than 200') }]);
  });

  it('flags a draft without citations or citing an article that was not retrieved', () => {
    const grounding = knowledge.articlesFor('road_damage');
    expect(validateDraft({ text: 'Dear caller, thank you.', citedArticleIds: [], language: 'en-US' }, grounding)).toEqual([
      { kind: 'missing_citation', detail: expect.any(String) },
    ]);
    expect(validateDraft({ text: 'Dear caller, thank you.', citedArticleIds: ['KB-MADE-UP-01'], language: 'en-US' }, grounding)).toEqual([
      { kind: 'missing_citation', detail: expect.stringContaining('KB-MADE-UP-01') },
    ]);
  });

  it('flags an English draft for a Cantonese caller, Simplified text for a Traditional reply and vice versa', async () => {
    const english = await drafter.draft(requestFor('road_damage', 'en-US'));
    const traditional = await drafter.draft(requestFor('road_damage', 'zh-HK'));
    const simplified = await drafter.draft(requestFor('road_damage', 'zh-CN'));
    const grounding = knowledge.articlesFor('road_damage');
    const kindsFor = (text: string, language: Language) =>
      validateDraft({ text, citedArticleIds: ['KB-ROAD-DAMAGE-01'], language }, grounding).map((flag) => flag.kind);
    expect(kindsFor(english.text, 'zh-HK')).toEqual(['wrong_language']);
    expect(kindsFor(simplified.text, 'zh-HK')).toEqual(['wrong_language']);
    expect(kindsFor(traditional.text, 'zh-CN')).toEqual(['wrong_language']);
    expect(kindsFor(traditional.text, 'en-US')).toEqual(['wrong_language']);
    expect(kindsFor(traditional.text, 'zh-HK')).toEqual([]);
  });
});

describe('templates', () => {
  it('renders the acknowledgement SMS in the caller script', () => {
    const templates = knowledge.replyTemplates();
    const facts = { topicName: 'water bill', department: 'WSD' as const, enquiryId: 'ENQ-20250301-ABCDEFGHJKMN', hotline: '2824 5000' };
    expect(renderSmsText(templates, { ...facts, script: 'en' })).toBe(
      '1823: we have passed your enquiry on water bill to WSD. Ref ENQ-20250301-ABCDEFGHJKMN. Hotline 2824 5000.',
    );
    expect(renderSmsText(templates, { ...facts, topicName: '水费单', script: 'zh-Hans' })).toContain('已转交水务署');
  });

  it('rejects a template with an unknown placeholder, naming the field', () => {
    const templates = structuredClone(knowledge.replyTemplates());
    templates.reply.en.nextSteps = 'Call {callerPhone}.';
    expect(() => parseReplyTemplates(templates, 'templates.json')).toThrow(ValidationError);
    expect(() => parseReplyTemplates(templates, 'templates.json')).toThrow(/templates\.json:reply\.en\.nextSteps: unknown placeholder \{callerPhone\}/);
  });
});
