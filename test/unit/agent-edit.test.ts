import { beforeAll, describe, expect, it } from 'vitest';
import { FileKnowledgeBase } from '../../shared/adapters/in-process/file-knowledge-base.ts';
import { checkAgentEdit, type AgentEdit } from '../../shared/domain/drafting/agent-edit.ts';
import type { KnowledgeArticle } from '../../shared/domain/drafting/knowledge-article.ts';

// KB-IDENTITY-CARD-01 gives hotline 2824 6111, https://www.immd.gov.hk/eng/services/hkid/index.html and a HK$370 fee.
let cited: KnowledgeArticle[];
beforeAll(async () => {
  const knowledge = await FileKnowledgeBase.load();
  cited = [knowledge.article('KB-IDENTITY-CARD-01')!];
});

const draft = {
  text: 'Thank you for contacting 1823. The Immigration Department replaces lost identity cards; call 2824 6111 to book.',
  smsText: '1823: ImmD will follow up on ENQ-20261124-ABCDEFGHJKMN. Hotline 2824 6111.',
  citedArticleIds: ['KB-IDENTITY-CARD-01'],
  language: 'en-US' as const,
};
const edit = (request: AgentEdit['request']): AgentEdit => ({ draft, language: 'en-US', request });

describe('checkAgentEdit', () => {
  it('accepts an edit that rewords the draft and keeps to the cited article\'s number, page and fee', () => {
    const text = 'Sorry about your card. Replacement costs HK$370; book at https://www.immd.gov.hk/eng/services/hkid/index.html or call 2824-6111, or 1823 any time.';
    expect(checkAgentEdit(edit({ action: 'edit', text, sendSms: false }), cited)).toEqual([]);
  });

  it('refuses an added phone number, naming it and the field', () => {
    const problems = checkAgentEdit(edit({ action: 'edit', text: `${draft.text} Or WhatsApp 9876 5432.`, sendSms: false }), cited);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toBe('text');
    expect(problems[0]!.problem).toContain('9876 5432');
    expect(problems[0]!.problem).toContain('KB-IDENTITY-CARD-01');
  });

  it('refuses an added link and an added fee, in Chinese too', () => {
    const link = checkAgentEdit(edit({ action: 'edit', text: '請到 immd-hk.example/renew 辦理。', sendSms: false }), cited);
    expect(link[0]?.problem).toContain('immd-hk.example/renew');
    const fee = checkAgentEdit(edit({ action: 'edit', text: '補領費用為港幣500元。', sendSms: false }), cited);
    expect(fee[0]?.problem).toContain('500');
  });

  it('checks the SMS the agent wrote, but not the SMS template the draft already had', () => {
    expect(checkAgentEdit(edit({ action: 'approve', sendSms: true, smsText: draft.smsText }), cited)).toEqual([]);
    const problems = checkAgentEdit(edit({ action: 'approve', sendSms: true, smsText: '1823: call 6000 1234 about your ID card' }), cited);
    expect(problems.map((p) => p.field)).toEqual(['smsText']);
  });

  it('refuses any number but 1823 and 999 when there is no draft to ground the reply', () => {
    const noDraft: AgentEdit = { draft: undefined, language: 'zh-HK', request: { action: 'edit', text: '請致電1823或999。另可致電 2111 2222。', sendSms: false } };
    const problems = checkAgentEdit(noDraft, []);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.problem).toContain('2111 2222');
    expect(problems[0]!.problem).not.toContain('1823;');
  });

  it('ignores a rejection and an approval without edits', () => {
    expect(checkAgentEdit(edit({ action: 'reject', sendSms: false }), cited)).toEqual([]);
    expect(checkAgentEdit(edit({ action: 'approve', sendSms: false }), cited)).toEqual([]);
  });
});
