// The test database's URL, set as DATABASE_URL before the demo's modules read it.
import { inject } from "vitest";

export const databaseUrl = inject("databaseUrl");
export const databaseKind = inject("databaseKind");
process.env.DATABASE_URL = databaseUrl;
