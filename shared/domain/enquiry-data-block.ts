/*
 * The fence both model prompts (classification and drafting) put the caller's redacted text in: the
 * system prompt declares everything between <enquiry> and </enquiry> untrusted data. One definition, so
 * the two prompts cannot neutralise the fence differently.
 */

export const ENQUIRY_OPEN = '<enquiry>';
export const ENQUIRY_CLOSE = '</enquiry>';

/**
 * Any spelling of an opening or closing enquiry tag a model could read as our fence: case, whitespace
 * after `<` or around `/` (`< /enquiry>`, `</ ENQUIRY >`), attributes, and a tag never closed by `>`
 * (then only `<enquiry` itself goes, the rest of the caller's line stays).
 */
const FENCE_TAG = /<\s*\/?\s*enquiry\b(?:[^<>\n]*>)?/gi;

/** Caller text with every tag that could close or reopen the fence replaced by a visible marker. */
export function asEnquiryData(text: string): string {
  return text.replace(FENCE_TAG, '[tag removed]');
}

/** The caller's text inside the fence, ready to be a prompt's user message (or its start). */
export function enquiryDataBlock(text: string): string {
  return `${ENQUIRY_OPEN}\n${asEnquiryData(text)}\n${ENQUIRY_CLOSE}`;
}
