import * as z from 'zod/mini';

/**
 * E.164: a plus, a country code that does not start with 0, 8 to 15 digits in all. Its own module so that the SMS
 * rules and the configuration can use it without building the intake message schemas at every cold start
 * (zod/mini schemas are not tree-shaken: a module's schemas are built wherever anything of it is imported).
 */
export const E164PhoneSchema = z.string().check(z.regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 phone number such as +85291234567'));
