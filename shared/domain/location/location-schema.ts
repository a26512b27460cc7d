import * as z from 'zod/mini';
import { DISTRICT_IDS, PLACE_KINDS, type DistrictId, type EnquiryLocation } from '#vocabulary/districts.ts';

const District = z.enum(DISTRICT_IDS as [DistrictId, ...DistrictId[]]);

/**
 * The stored shape of an enquiry's location, checked before it is written: found names one district,
 * ambiguous two or more candidates, unknown neither; the place is a gazetteer name, never free text.
 */
export const EnquiryLocationSchema = z
  .strictObject({
    status: z.enum(['found', 'ambiguous', 'unknown']),
    district: z.optional(District),
    candidates: z.optional(z.array(District).check(z.minLength(2))),
    place: z.optional(
      z.strictObject({
        en: z.string().check(z.minLength(1), z.maxLength(80)),
        zh: z.string().check(z.minLength(1), z.maxLength(30)),
        kind: z.enum(PLACE_KINDS),
      }),
    ),
  })
  .check(
    z.refine((location) => (location.status === 'found') === (location.district !== undefined), { message: 'a district is set exactly when the place was found', path: ['district'] }),
    z.refine((location) => (location.status === 'ambiguous') === (location.candidates !== undefined), { message: 'candidates are set exactly when the place is ambiguous', path: ['candidates'] }),
    z.refine((location) => location.status !== 'unknown' || location.place === undefined, { message: 'an unknown location names no place', path: ['place'] }),
  );

// The schema describes the shared type: a checked location is an EnquiryLocation (fails to compile otherwise).
const _sameShape: (checked: z.infer<typeof EnquiryLocationSchema>) => EnquiryLocation = (checked) => checked;
