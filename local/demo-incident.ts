/**
 * A small, clearly synthetic burst for `npm start`: written enquiries (message ids `demo-burst-…`) from
 * several callers about one burst water main on Kwun Tong Road, sent through the real intake path so the
 * console and the report show an incident. Grouping needs each enquiry's location (district and place), which
 * classification sets from the redacted text; without it these are ordinary separate enquiries.
 */
const TEXTS: { text: string; language: 'en' | 'zh'; consent: boolean }[] = [
  { text: 'A water main has burst on Kwun Tong Road, water is gushing across the road.', language: 'en', consent: true },
  { text: 'Burst pipe on Kwun Tong Road! Water flooding the pavement, please send someone.', language: 'en', consent: false },
  { text: '觀塘道有條水管爆咗，啲水喺地下射出嚟，成條路都浸晒。', language: 'zh', consent: true },
  { text: '觀塘道爆水管呀，好多水湧出嚟，快啲派人嚟整。', language: 'zh', consent: true },
  { text: 'Water main burst on Kwun Tong Road, water spraying up from the ground near the shops.', language: 'en', consent: true },
];

/** Intake messages received 90, 70, … 10 minutes before `now` (synthetic callers, +852 5550 01xx). */
export function demoBurstMessages(now: Date): string[] {
  return TEXTS.map(({ text, consent }, i) =>
    JSON.stringify({
      kind: 'written',
      messageId: `demo-burst-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${i + 1}`,
      channel: 'app',
      text,
      contact: { phone: `+8525550${String(100 + i).padStart(4, '0')}` },
      smsConsent: consent,
      receivedAt: new Date(now.getTime() - (90 - i * 20) * 60_000).toISOString(),
    }),
  );
}
