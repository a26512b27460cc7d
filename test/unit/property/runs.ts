/**
 * How many generated cases each property runs. `npm test` keeps the default small so the suite stays fast;
 * `npm run test:properties` sets PROPERTY_RUNS=10000 for the full-size run (the figures in the README).
 * PROPERTY_SEED replays a run that failed (fast-check prints the seed and path with the counterexample).
 */
const parsed = Number(process.env['PROPERTY_RUNS']);
export const PROPERTY_RUNS = Number.isInteger(parsed) && parsed > 0 ? parsed : 100;

const seed = Number(process.env['PROPERTY_SEED']);
/** Options for every `test.prop`: the run count, a replayable seed when given, and a timeout that grows with the count. */
export const propertyOptions = { numRuns: PROPERTY_RUNS, ...(Number.isInteger(seed) ? { seed } : {}) };
/** Vitest timeout (ms) for a property: generous at full size, where one property may take a while. */
export const propertyTimeout = Math.max(30_000, PROPERTY_RUNS * 20);
