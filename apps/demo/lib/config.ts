// The demo's settings, read from the environment once, on first use (not at import: `next build`
// imports route modules without a database). `npm run demo` sets DATABASE_URL to its embedded
// PostgreSQL when none is given.

export interface DemoConfig {
  databaseUrl: string;
  /** An unpooled URL to the same database, for LISTEN/NOTIFY; unset on the embedded database. */
  directDatabaseUrl: string | undefined;
  isProduction: boolean;
}

let loaded: DemoConfig | undefined;

/** The validated settings; throws one message naming what is missing. */
export function config(): DemoConfig {
  loaded ??= readConfig(process.env);
  return loaded;
}

export function readConfig(env: NodeJS.ProcessEnv): DemoConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error("DATABASE_URL is not set. Run the demo with `npm run demo`, or set it (see README.md).");
  }
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error("DATABASE_URL must be a postgresql:// URL.");
  }
  const directDatabaseUrl = env.DIRECT_DATABASE_URL || undefined;
  if (directDatabaseUrl && !/^postgres(ql)?:\/\//.test(directDatabaseUrl)) {
    throw new Error("DIRECT_DATABASE_URL must be a postgresql:// URL.");
  }
  return { databaseUrl, directDatabaseUrl, isProduction: env.NODE_ENV === "production" };
}
