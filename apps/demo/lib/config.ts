// The demo's settings, read from the environment once, on first use (not at import: `next build`
// imports route modules without a database), and checked when the server starts
// (instrumentation.ts). `npm run demo` sets DATABASE_URL to its embedded PostgreSQL when none is
// given, and BETTER_AUTH_SECRET to a random one kept in .data/.
//
// Every variable is one entry of ENVIRONMENT below: what it must look like, whether it is a secret
// (never quoted in a message), and when it is required. A new variable is a new entry.
import { z } from "zod";

/** The minimum length of BETTER_AUTH_SECRET: 32 characters, as better-auth recommends. */
export const MIN_AUTH_SECRET_LENGTH = 32;

/** The minimum length of CRON_SECRET: it is the only thing guarding the drain route. */
export const MIN_CRON_SECRET_LENGTH = 16;

/** The minimum length of WIDGET_TOKEN_SECRET: an HS256 key of at least 256 bits (RFC 7518, 3.2). */
export const MIN_WIDGET_SECRET_LENGTH = 32;

/**
 * Signs session cookies outside production when BETTER_AUTH_SECRET is unset. Public (it is in the
 * repository), so sessions signed with it are only as private as the machine: never used in production.
 */
export const DEVELOPMENT_AUTH_SECRET = "sprocket-demo-DEVELOPMENT-ONLY-auth-secret-never-use-in-production";

export interface DemoConfig {
  databaseUrl: string;
  /** An unpooled URL to the same database, for LISTEN/NOTIFY; unset on the embedded database. */
  directDatabaseUrl: string | undefined;
  /**
   * The most connections the app opens (DATABASE_POOL_MAX). Default: pg's 10. `npm run demo` sets
   * 1 for the embedded database, whose socket server can interleave messages of concurrent
   * connections; one connection keeps every query whole.
   */
  databasePoolMax: number | undefined;
  isProduction: boolean;
  auth: {
    /** Signs and encrypts session cookies. Never logged. */
    secret: string;
    /** Whether `secret` is {@link DEVELOPMENT_AUTH_SECRET} because BETTER_AUTH_SECRET is unset. */
    isDevelopmentSecret: boolean;
    /** The app's public URL (BETTER_AUTH_URL); `undefined`: taken from each request. */
    baseUrl: string | undefined;
    /**
     * Whether AUTH_RATE_LIMIT=off turned off better-auth's rate limits, which are on in production
     * (sign-in and sign-up: 3 requests per 10 s per client address). For end-to-end tests, whose
     * browsers all share one address; never for a deployment.
     */
    isRateLimitDisabled: boolean;
  };
  /** The chat model. */
  model: {
    /**
     * OPENAI_API_KEY. Never logged. Unset: OPENAI_BASE_URL's server (which may need no key), or
     * the built-in offline demo model when that is unset too.
     */
    apiKey: string | undefined;
    /** OPENAI_BASE_URL: any OpenAI-compatible server (Ollama, vLLM, LM Studio). Unset: OpenAI's. */
    baseUrl: string | undefined;
    /** OPENAI_MODEL. Default: "gpt-4o-mini" with a key, "local" otherwise. */
    name: string;
    /** Whether neither a key nor a base URL is set, so the built-in offline demo model answers. */
    isOffline: boolean;
  };
  /** Chat messages a user may send per minute (CHAT_RATE_LIMIT). Default: 20. */
  chatRateLimit: number;
  /**
   * Webhook signing secrets, comma-separated for rotation (newest first). Never logged. Unset: that
   * provider's route answers 503 naming the variable, so senders retry once it is set.
   */
  webhooks: {
    /** GITHUB_WEBHOOK_SECRET: the secret of the GitHub webhook's settings. */
    githubSecret: string | undefined;
    /** STRIPE_WEBHOOK_SECRET: the endpoint's `whsec_...` signing secret. */
    stripeSecret: string | undefined;
    /** STANDARD_WEBHOOK_SECRET: a Standard Webhooks `whsec_<base64>` secret. */
    standardSecret: string | undefined;
    /**
     * WEBHOOK_RETENTION_DAYS: how long finished deliveries (and their payloads) are kept before the
     * drain deletes them. Default: 30.
     */
    retentionDays: number;
  };
  /**
   * ADMIN_EMAILS, comma-separated, lower-cased: the app's operators, the signed-in users who may
   * open the webhook inbox page (/inbox) and replay deliveries. Empty (unset): nobody may.
   */
  adminEmails: string[];
  /** CRON_SECRET: the bearer token Vercel Cron sends to `/api/cron/webhooks`. Unset: the route answers 503. */
  cronSecret: string | undefined;
  /** The Shopify app; `undefined` when SHOPIFY_API_KEY and SHOPIFY_API_SECRET are unset. */
  shopify:
    | {
        /** SHOPIFY_API_KEY: the app's client id. */
        apiKey: string;
        /** SHOPIFY_API_SECRET, split on commas: the client secrets, newest first. Never logged. */
        secrets: string[];
        /** SHOPIFY_ADMIN_ORIGIN: a stand-in for Shopify's Admin API. Unset: Shopify's. */
        adminOrigin: string | undefined;
      }
    | undefined;
  /** The embeddable chat widget (README, "Chat widget"). */
  widget: {
    /**
     * WIDGET_ALLOWED_ORIGINS, comma-separated origins (`https://shop.example`) of the pages that may
     * embed the widget. Empty (unset): none may.
     */
    allowedOrigins: string[];
    /** WIDGET_TOKEN_SECRET: signs the widget's visitor tokens. Never logged. Unset: the widget's routes answer 503. */
    tokenSecret: string | undefined;
  };
}

/** The environment as the config reads it (process.env, or a test's object). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** One environment variable: its format, and when it must be set. */
interface Setting<Value> {
  /** Parses a set (non-empty) value; a failure is reported as "{NAME} must be {expected}". */
  schema: z.ZodType<Value>;
  /** What a valid value looks like, completing "{NAME} must be ...". */
  expected: string;
  /** Never quoted in a message. Default: false, and the received value is quoted. */
  isSecret?: boolean;
  /** What of a malformed value the message quotes. Default: the value (never for secrets). */
  quote?: (value: string) => string;
  /** Why it must be set in this environment, or false (the default) when it may be unset. */
  requiredBecause?: (env: Environment) => string | false;
}

const setting = <Value>(definition: Setting<Value>): Setting<Value> => definition;

const isProductionEnv = (env: Environment) => env.NODE_ENV === "production";
// Vercel sets VERCEL=1 on every deployment and VERCEL_ENV to production, preview or development.
const isVercelProduction = (env: Environment) => env.VERCEL === "1" && env.VERCEL_ENV === "production";

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//);
const httpUrl = z.url({ protocol: /^https?$/ });
const positiveWholeNumber = z.coerce.number().int().min(1);
/** Comma-separated, trimmed, empty items dropped: at least one item, each matching `item`. */
const commaList = <Item>(item: z.ZodType<Item, string>) =>
  z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((one) => one.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1));
const adminEmail = z.email();
/** Exactly an http(s) origin, as browsers send it in `Origin`: no path, no trailing slash. */
const origin = z
  .string()
  .refine((value) => httpUrl.safeParse(value).success && new URL(value).origin === value);
/** Comma-separated secrets for rotation, each matching `item`; kept as given (the verifiers split it). */
const secretList = (item: z.ZodString = z.string()) =>
  z.string().refine((value) => {
    const secrets = value.split(",").map((one) => one.trim());
    return secrets.some(Boolean) && secrets.every((one) => one === "" || item.safeParse(one).success);
  });

/**
 * The demo's environment variables, in the order problems are listed.
 */
export const ENVIRONMENT = {
  DATABASE_URL: setting({
    schema: postgresUrl,
    expected: "a postgresql:// URL",
    // Its password is in it.
    isSecret: true,
    requiredBecause: () =>
      "`npm run demo` sets one for its embedded database; elsewhere set a postgresql:// URL (see README.md)",
  }),
  DIRECT_DATABASE_URL: setting({
    schema: postgresUrl,
    expected: "a postgresql:// URL",
    isSecret: true,
    requiredBecause: (env) =>
      env.VERCEL === "1" &&
      isProductionEnv(env) &&
      "on Vercel each request may reach another instance, so live queries need LISTEN/NOTIFY over an unpooled postgresql:// URL",
  }),
  DATABASE_POOL_MAX: setting({ schema: positiveWholeNumber, expected: "a positive whole number" }),
  BETTER_AUTH_SECRET: setting({
    schema: z.string().min(MIN_AUTH_SECRET_LENGTH),
    expected: `at least ${MIN_AUTH_SECRET_LENGTH} characters long`,
    isSecret: true,
    requiredBecause: (env) =>
      isProductionEnv(env) &&
      `production needs a random secret of at least ${MIN_AUTH_SECRET_LENGTH} characters (\`openssl rand -base64 32\`)`,
  }),
  BETTER_AUTH_URL: setting({
    schema: httpUrl,
    expected: "an absolute http(s) URL such as https://app.example.com",
  }),
  AUTH_RATE_LIMIT: setting({ schema: z.enum(["on", "off"]), expected: '"on" (the default) or "off"' }),
  OPENAI_API_KEY: setting({ schema: z.string(), expected: "an API key", isSecret: true }),
  OPENAI_BASE_URL: setting({
    schema: httpUrl,
    expected: "an absolute http(s) URL such as http://127.0.0.1:11434/v1",
  }),
  OPENAI_MODEL: setting({ schema: z.string(), expected: "a model name" }),
  CHAT_RATE_LIMIT: setting({
    schema: positiveWholeNumber,
    expected: "a positive whole number of messages per minute",
  }),
  WEBHOOK_RETENTION_DAYS: setting({
    // At most a century: the cutoff the drain computes must stay a date PostgreSQL can hold.
    schema: positiveWholeNumber.max(36_500),
    expected: "a whole number of days from 1 to 36500 to keep finished webhook deliveries",
  }),
  GITHUB_WEBHOOK_SECRET: setting({
    schema: secretList(),
    expected: "the webhook's secret (comma-separated for several)",
    isSecret: true,
  }),
  STRIPE_WEBHOOK_SECRET: setting({
    schema: secretList(),
    expected: "the endpoint's signing secret (comma-separated for several)",
    isSecret: true,
  }),
  STANDARD_WEBHOOK_SECRET: setting({
    schema: secretList(z.string().regex(/^whsec_[A-Za-z0-9+/]+=*$/)),
    expected: "whsec_ followed by base64 (comma-separated for several)",
    isSecret: true,
  }),
  ADMIN_EMAILS: setting({
    schema: commaList(adminEmail).transform((emails) => emails.map((email) => email.toLowerCase())),
    expected: "comma-separated email addresses",
    quote: (value) =>
      value
        .split(",")
        .map((one) => one.trim())
        .filter((one) => one && !adminEmail.safeParse(one).success)
        .map((one) => `"${one}"`)
        .join(", "),
  }),
  CRON_SECRET: setting({
    schema: z.string().min(MIN_CRON_SECRET_LENGTH),
    expected: `at least ${MIN_CRON_SECRET_LENGTH} characters long`,
    isSecret: true,
    requiredBecause: (env) =>
      isVercelProduction(env) &&
      "Vercel Cron calls /api/cron/webhooks with it to retry webhook deliveries (vercel.json)",
  }),
  SHOPIFY_API_KEY: setting({
    schema: z.string().trim().min(1),
    expected: "the app's client id",
    requiredBecause: (env) =>
      Boolean(env.SHOPIFY_API_SECRET) && "the Shopify app needs it with SHOPIFY_API_SECRET",
  }),
  SHOPIFY_API_SECRET: setting({
    schema: commaList(z.string()),
    expected: "the app's client secret (comma-separated for several, newest first)",
    isSecret: true,
    requiredBecause: (env) =>
      Boolean(env.SHOPIFY_API_KEY?.trim()) && "the Shopify app needs it with SHOPIFY_API_KEY",
  }),
  SHOPIFY_ADMIN_ORIGIN: setting({
    schema: httpUrl,
    expected: "an absolute http(s) URL such as http://127.0.0.1:4020",
  }),
  WIDGET_ALLOWED_ORIGINS: setting({
    schema: commaList(origin),
    expected: "comma-separated origins such as https://shop.example (no path)",
    quote: (value) =>
      value
        .split(",")
        .map((one) => one.trim())
        .filter((one) => one && !origin.safeParse(one).success)
        .map((one) => `"${one}"`)
        .join(", "),
  }),
  WIDGET_TOKEN_SECRET: setting({
    schema: z.string().min(MIN_WIDGET_SECRET_LENGTH),
    expected: `at least ${MIN_WIDGET_SECRET_LENGTH} characters long`,
    isSecret: true,
  }),
} satisfies Record<string, Setting<unknown>>;

type EnvironmentValues = {
  [Name in keyof typeof ENVIRONMENT]: (typeof ENVIRONMENT)[Name] extends Setting<infer Value>
    ? Value | undefined
    : never;
};

/** The environment did not validate; `problems` has one sentence per variable, never a secret. */
export class EnvironmentError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(
      problems.length === 1 ? problems[0] : `The demo's environment is invalid:\n- ${problems.join("\n- ")}`,
    );
    this.name = "EnvironmentError";
    this.problems = problems;
  }
}

/**
 * Checks every variable of {@link ENVIRONMENT}; throws one {@link EnvironmentError} naming each
 * missing or malformed one, and what is expected. An empty value counts as unset.
 *
 * @example
 * const { DATABASE_URL } = readEnvironment(process.env);
 */
export function readEnvironment(env: Environment): EnvironmentValues {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(ENVIRONMENT) as [string, Setting<unknown>][]) {
    const raw = env[name];
    if (raw === undefined || raw === "") {
      const reason = definition.requiredBecause?.(env);
      if (reason) problems.push(`${name} is not set; ${reason}.`);
      continue;
    }
    const parsed = definition.schema.safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
      continue;
    }
    // Never a secret's value, not even in part.
    const quoted = definition.isSecret ? "" : (definition.quote ?? ((value) => `"${value}"`))(raw);
    problems.push(`${name} must be ${definition.expected}${quoted ? `, got ${quoted}` : ""}.`);
  }
  // One key per purpose: Shopify (and whoever can read the app's client secret) must not be able
  // to sign widget tokens, nor a leaked widget secret open sessions.
  const widgetSecret = values.WIDGET_TOKEN_SECRET as string | undefined;
  const otherSecrets = [
    ...((values.SHOPIFY_API_SECRET as string[] | undefined) ?? []),
    values.BETTER_AUTH_SECRET,
  ];
  if (widgetSecret !== undefined && otherSecrets.includes(widgetSecret)) {
    problems.push("WIDGET_TOKEN_SECRET must differ from SHOPIFY_API_SECRET and BETTER_AUTH_SECRET.");
  }
  if (problems.length > 0) throw new EnvironmentError(problems);
  return values as EnvironmentValues;
}

let loaded: DemoConfig | undefined;

/** The validated settings; throws one message naming everything missing or malformed. */
export function config(): DemoConfig {
  loaded ??= readConfig(process.env);
  return loaded;
}

/**
 * Reads and validates the settings. The error lists every problem at once, by variable name; it
 * never quotes a secret's value.
 *
 * @example
 * const { auth } = readConfig({ DATABASE_URL: "postgresql://localhost/app", NODE_ENV: "development" });
 */
export function readConfig(env: Environment): DemoConfig {
  const values = readEnvironment(env);
  const apiKey = values.OPENAI_API_KEY;
  const modelBaseUrl = values.OPENAI_BASE_URL;
  return {
    databaseUrl: values.DATABASE_URL ?? "",
    directDatabaseUrl: values.DIRECT_DATABASE_URL,
    databasePoolMax: values.DATABASE_POOL_MAX,
    isProduction: isProductionEnv(env),
    auth: {
      secret: values.BETTER_AUTH_SECRET ?? DEVELOPMENT_AUTH_SECRET,
      isDevelopmentSecret: values.BETTER_AUTH_SECRET === undefined,
      baseUrl: values.BETTER_AUTH_URL,
      isRateLimitDisabled: values.AUTH_RATE_LIMIT === "off",
    },
    model: {
      apiKey,
      baseUrl: modelBaseUrl,
      name: values.OPENAI_MODEL ?? (apiKey ? "gpt-4o-mini" : "local"),
      isOffline: !apiKey && !modelBaseUrl,
    },
    chatRateLimit: values.CHAT_RATE_LIMIT ?? 20,
    webhooks: {
      githubSecret: values.GITHUB_WEBHOOK_SECRET,
      stripeSecret: values.STRIPE_WEBHOOK_SECRET,
      standardSecret: values.STANDARD_WEBHOOK_SECRET,
      retentionDays: values.WEBHOOK_RETENTION_DAYS ?? 30,
    },
    adminEmails: values.ADMIN_EMAILS ?? [],
    cronSecret: values.CRON_SECRET,
    shopify:
      values.SHOPIFY_API_KEY !== undefined && values.SHOPIFY_API_SECRET !== undefined
        ? {
            apiKey: values.SHOPIFY_API_KEY,
            secrets: values.SHOPIFY_API_SECRET,
            adminOrigin: values.SHOPIFY_ADMIN_ORIGIN,
          }
        : undefined,
    widget: { allowedOrigins: values.WIDGET_ALLOWED_ORIGINS ?? [], tokenSecret: values.WIDGET_TOKEN_SECRET },
  };
}
