/**
 * The report counters table's key design, shared by its adapter and the CDK construct that creates it:
 * counter items (`COUNTERS#<month>` / `<day>#<hour>#<dimensions>#s<shard>`) and counted markers
 * (`COUNTED#<hash>` / `COUNTED`), which alone carry the TTL attribute (counters never expire).
 */
export const COUNTER_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt' } as const;
