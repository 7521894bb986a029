// The test database's URL, set as DATABASE_URL before the demo's modules read it.
import { inject } from "vitest";

export const databaseUrl = inject("databaseUrl");
export const databaseKind = inject("databaseKind");
process.env.DATABASE_URL = databaseUrl;
// As `npm run demo` does on the embedded database: one connection keeps each query whole.
if (databaseKind === "embedded") process.env.DATABASE_POOL_MAX ??= "1";
