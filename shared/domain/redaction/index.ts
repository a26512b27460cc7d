export { createRedactor, redactPersonalData } from './redactor.ts';
export type { RedactorOptions } from './redactor.ts';
export { hkidCheckDigit } from './hkid.ts';
export { passesLuhn } from './payment-card.ts';
