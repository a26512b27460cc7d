// Imported first by bench/run.ts and the smoke test: Powertools reads these when its module loads, and the
// handlers' structured logs and EMF metrics would otherwise drown the bench output.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
export {};
