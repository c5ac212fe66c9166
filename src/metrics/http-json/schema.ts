// The http-json provider accepts any JSON document and reads one number out of it with `jsonPath`; this is the
// rule for that number.
import { z } from 'zod';

/** A JSON number, or a string holding one (some endpoints quote their numbers). */
export const MetricNumber = z.union([
  z.number(),
  z
    .string()
    .trim()
    .min(1)
    .transform(Number)
    .refine((value) => Number.isFinite(value)),
]);
