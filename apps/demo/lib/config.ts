// The demo's settings, read from the environment once, on first use (not at import: `next build`
// imports route modules without a database). `npm run demo` sets DATABASE_URL to its embedded
// PostgreSQL when none is given, and BETTER_AUTH_SECRET to a random one kept in .data/.

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
export function readConfig(env: NodeJS.ProcessEnv): DemoConfig {
  const problems: string[] = [];
  const isProduction = env.NODE_ENV === "production";

  const databaseUrl = env.DATABASE_URL ?? "";
  if (!databaseUrl) {
    problems.push("DATABASE_URL is not set. Run the demo with `npm run demo`, or set it (see README.md).");
  } else if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push("DATABASE_URL must be a postgresql:// URL.");
  }

  const directDatabaseUrl = env.DIRECT_DATABASE_URL || undefined;
  if (directDatabaseUrl && !/^postgres(ql)?:\/\//.test(directDatabaseUrl)) {
    problems.push("DIRECT_DATABASE_URL must be a postgresql:// URL.");
  }

  const databasePoolMax = env.DATABASE_POOL_MAX ? Number(env.DATABASE_POOL_MAX) : undefined;
  if (databasePoolMax !== undefined && !(Number.isInteger(databasePoolMax) && databasePoolMax >= 1)) {
    problems.push(`DATABASE_POOL_MAX must be a positive whole number, got "${env.DATABASE_POOL_MAX}".`);
  }

  const secret = env.BETTER_AUTH_SECRET ?? "";
  if (!secret && isProduction) {
    problems.push(
      `BETTER_AUTH_SECRET is not set; production needs a random secret of at least ${MIN_AUTH_SECRET_LENGTH} characters (\`openssl rand -base64 32\`).`,
    );
  } else if (secret && secret.length < MIN_AUTH_SECRET_LENGTH) {
    problems.push(`BETTER_AUTH_SECRET must be at least ${MIN_AUTH_SECRET_LENGTH} characters long.`);
  }

  const baseUrl = env.BETTER_AUTH_URL || undefined;
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) {
    problems.push(
      `BETTER_AUTH_URL must be an absolute http(s) URL such as https://app.example.com, got "${baseUrl}".`,
    );
  }

  const rateLimit = env.AUTH_RATE_LIMIT || "on";
  if (rateLimit !== "on" && rateLimit !== "off") {
    problems.push(`AUTH_RATE_LIMIT must be "on" (the default) or "off", got "${rateLimit}".`);
  }

  const apiKey = env.OPENAI_API_KEY || undefined;
  const modelBaseUrl = env.OPENAI_BASE_URL || undefined;
  if (modelBaseUrl !== undefined && !isHttpUrl(modelBaseUrl)) {
    problems.push(
      `OPENAI_BASE_URL must be an absolute http(s) URL such as http://127.0.0.1:11434/v1, got "${modelBaseUrl}".`,
    );
  }
  const modelName = env.OPENAI_MODEL || (apiKey ? "gpt-4o-mini" : "local");

  const chatRateLimit = Number(env.CHAT_RATE_LIMIT || "20");
  if (!Number.isInteger(chatRateLimit) || chatRateLimit < 1) {
    problems.push(
      `CHAT_RATE_LIMIT must be a positive whole number of messages per minute, got "${env.CHAT_RATE_LIMIT}".`,
    );
  }

  const githubSecret = env.GITHUB_WEBHOOK_SECRET || undefined;
  const stripeSecret = env.STRIPE_WEBHOOK_SECRET || undefined;
  const standardSecret = env.STANDARD_WEBHOOK_SECRET || undefined;
  if (
    standardSecret !== undefined &&
    !standardSecret.split(",").every((one) => /^whsec_[A-Za-z0-9+/]+=*$/.test(one.trim()))
  ) {
    problems.push("STANDARD_WEBHOOK_SECRET must be whsec_ followed by base64 (comma-separated for several).");
  }
  const adminEmails = (env.ADMIN_EMAILS ?? "")
    .split(",")
    .map((email) => email.trim().toLowerCase())
    .filter(Boolean);
  const notEmails = adminEmails.filter((email) => !/^[^\s@,]+@[^\s@,]+$/.test(email));
  if (notEmails.length > 0) {
    problems.push(
      `ADMIN_EMAILS must be comma-separated email addresses, got ${notEmails.map((email) => `"${email}"`).join(", ")}.`,
    );
  }
  const cronSecret = env.CRON_SECRET || undefined;
  if (cronSecret !== undefined && cronSecret.length < MIN_CRON_SECRET_LENGTH) {
    problems.push(`CRON_SECRET must be at least ${MIN_CRON_SECRET_LENGTH} characters long.`);
  }

  const shopifyApiKey = env.SHOPIFY_API_KEY?.trim() || undefined;
  const shopifySecrets = (env.SHOPIFY_API_SECRET ?? "")
    .split(",")
    .map((secret) => secret.trim())
    .filter(Boolean);
  if (shopifyApiKey && shopifySecrets.length === 0) {
    problems.push("SHOPIFY_API_SECRET is not set; the Shopify app needs it with SHOPIFY_API_KEY.");
  } else if (!shopifyApiKey && shopifySecrets.length > 0) {
    problems.push("SHOPIFY_API_KEY is not set; the Shopify app needs it with SHOPIFY_API_SECRET.");
  }
  const adminOrigin = env.SHOPIFY_ADMIN_ORIGIN || undefined;
  if (adminOrigin !== undefined && !isHttpUrl(adminOrigin)) {
    problems.push(
      `SHOPIFY_ADMIN_ORIGIN must be an absolute http(s) URL such as http://127.0.0.1:4020, got "${adminOrigin}".`,
    );
  }

  const widgetOrigins = (env.WIDGET_ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  const notOrigins = widgetOrigins.filter((origin) => !isOrigin(origin));
  if (notOrigins.length > 0) {
    problems.push(
      `WIDGET_ALLOWED_ORIGINS must be comma-separated origins such as https://shop.example (no path), got ${notOrigins.map((origin) => `"${origin}"`).join(", ")}.`,
    );
  }
  const widgetSecret = env.WIDGET_TOKEN_SECRET || undefined;
  if (widgetSecret !== undefined && widgetSecret.length < MIN_WIDGET_SECRET_LENGTH) {
    problems.push(`WIDGET_TOKEN_SECRET must be at least ${MIN_WIDGET_SECRET_LENGTH} characters long.`);
  }

  if (problems.length === 1) throw new Error(problems[0]);
  if (problems.length > 1) throw new Error(`The demo's environment is invalid:\n- ${problems.join("\n- ")}`);
  return {
    databaseUrl,
    directDatabaseUrl,
    databasePoolMax,
    isProduction,
    auth: {
      secret: secret || DEVELOPMENT_AUTH_SECRET,
      isDevelopmentSecret: !secret,
      baseUrl,
      isRateLimitDisabled: rateLimit === "off",
    },
    model: { apiKey, baseUrl: modelBaseUrl, name: modelName, isOffline: !apiKey && !modelBaseUrl },
    chatRateLimit,
    webhooks: { githubSecret, stripeSecret, standardSecret },
    adminEmails,
    cronSecret,
    shopify:
      shopifyApiKey && shopifySecrets.length > 0
        ? { apiKey: shopifyApiKey, secrets: shopifySecrets, adminOrigin }
        : undefined,
    widget: { allowedOrigins: widgetOrigins, tokenSecret: widgetSecret },
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** Whether `value` is exactly an http(s) origin, as browsers send it in `Origin`. */
function isOrigin(value: string): boolean {
  return isHttpUrl(value) && new URL(value).origin === value;
}
