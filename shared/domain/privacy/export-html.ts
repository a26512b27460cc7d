import type { CallerDataExport, ExportedEnquiry } from './requests.ts';

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

/** A labelled row; empty values say so rather than leave a blank. */
const row = (label: string, value: string | null | undefined): string =>
  `<tr><th scope="row">${escapeHtml(label)}</th><td>${value === null || value === undefined || value === '' ? '<em>none held</em>' : escapeHtml(value)}</td></tr>`;

function enquirySection(enquiry: ExportedEnquiry, index: number): string {
  const contact = enquiry.contact;
  const history = enquiry.history
    .map((h) => `<li><time datetime="${escapeHtml(h.at)}">${escapeHtml(h.at)}</time>: ${escapeHtml(h.from ?? 'new')} → ${escapeHtml(h.to)} (${escapeHtml(h.by)})${h.note ? `: ${escapeHtml(h.note)}` : ''}</li>`)
    .join('');
  return [
    `<section><h2>Enquiry ${index + 1}: ${escapeHtml(enquiry.enquiryId)}</h2>`,
    '<table>',
    row('Received', enquiry.receivedAt),
    row('Channel', enquiry.channel),
    row('Status', enquiry.status),
    row('Language', enquiry.language),
    row('Phone number held', contact?.callerNumber),
    row('Email held', contact?.email),
    row('What you said or wrote (as received)', contact?.rawText),
    row('Voice recording held at', contact?.audio ? `s3://${contact.audio.bucket}/${contact.audio.key}` : null),
    row('Contact data erased at your request', enquiry.contactErasedAt),
    row('Text with personal data removed', enquiry.redactedText),
    row('Topic and department', enquiry.topic ? `${enquiry.topic.topic} (${enquiry.topic.department})` : null),
    row('Drafted reply', enquiry.draftReply),
    row('Decision', enquiry.decision ? `${enquiry.decision.action} at ${enquiry.decision.decidedAt}` : null),
    row('Reply', enquiry.decision?.replyText),
    row('SMS text', enquiry.decision?.smsText),
    row('SMS sent', enquiry.sms ? `${enquiry.sms.sentAt}${enquiry.sms.delivered ? '' : ` (not delivered: ${enquiry.sms.failure ?? 'unknown'})`}` : null),
    row('Raw contact data deleted by', enquiry.deletion.rawContactBy ?? (enquiry.settledAt ? null : 'after the enquiry is settled')),
    row('Whole record deleted by', enquiry.deletion.recordBy ?? 'after the enquiry is settled'),
    '</table>',
    `<h3>History</h3><ol>${history}</ol>`,
    '</section>',
  ].join('\n');
}

/** The readable summary of a data access request, handed to the caller beside the JSON. Every value is escaped. */
export function renderExportHtml(data: CallerDataExport): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>1823: personal data held for your number</title>',
    '<style>body{font-family:system-ui,"Noto Sans HK",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}th{text-align:left;vertical-align:top;padding-right:1rem;width:16rem}td{white-space:pre-wrap}section{border-top:1px solid #999;margin-top:1.5rem}</style>',
    '</head><body>',
    '<h1>Personal data held for your number</h1>',
    `<p>Request ${escapeHtml(data.requestId)}, prepared ${escapeHtml(data.generatedAt)} for ${escapeHtml(data.number)}: ${data.enquiries.length} ${data.enquiries.length === 1 ? 'enquiry' : 'enquiries'}.</p>`,
    ...data.enquiries.map(enquirySection),
    '</body></html>',
    '',
  ].join('\n');
}
