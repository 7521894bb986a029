import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { isMyshopifyDomain } from "../shopify/myshopify-domain.js";
import { DEFAULT_PATH_PREFIX, DEFAULT_PROXY_SHOP, signAppProxyUrl } from "./sign-app-proxy-url.js";
import { decodeStandardSecret, signWebhook, WEBHOOK_SENDERS, type WebhookSender } from "./sign-webhook.js";
import { DEFAULT_TOPICS, sampleTopics, webhookSample } from "./webhook-samples.js";

export const USAGE = `usage:
  sprocket proxy sign <url> [--secret S] [--shop x.myshopify.com] [--customer ID]
                            [--path-prefix ${DEFAULT_PATH_PREFIX}] [--timestamp SECONDS]
      print the URL as Shopify's app proxy forwards it: shop, logged_in_customer_id,
      path_prefix, timestamp and signature added (secret: --secret or SHOPIFY_API_SECRET)
  sprocket proxy call <url> [--method GET] [--data JSON] [same options as proxy sign]
      sign the URL, send the request, print the response
  sprocket webhook trigger --provider shopify|github|stripe|standard --address URL
                           [--topic T] [--secret S] [--shop x.myshopify.com]
                           [--repeat-id ID] [--timestamp SECONDS] [--api-version 2026-01]
      sign and send a sample delivery, print the response; --repeat-id resends a delivery id
      secrets: --secret, else SHOPIFY_API_SECRET, GITHUB_WEBHOOK_SECRET,
      STRIPE_WEBHOOK_SECRET or STANDARD_WEBHOOK_SECRET (the first of a comma-separated list)
      topics: shopify ${sampleTopics("shopify")!.join(", ")}
              github ${sampleTopics("github")!.join(", ")}; stripe ${sampleTopics("stripe")!.join(", ")}
              standard any (default ${DEFAULT_TOPICS.standard})

exit status: 0 answered 2xx (or printed), 1 answered otherwise or unreachable, 2 bad arguments`;

/** Where each sender's secret is read from when `--secret` is absent. */
export const SECRET_VARIABLES: Record<WebhookSender, string> = {
  shopify: "SHOPIFY_API_SECRET",
  github: "GITHUB_WEBHOOK_SECRET",
  stripe: "STRIPE_WEBHOOK_SECRET",
  standard: "STANDARD_WEBHOOK_SECRET",
};

/** Something text can be written to: `process.stdout`, or a collector in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/** What the command reads from and writes to, so it can run inside a test. */
export interface CliEnvironment {
  stdout: TextSink;
  stderr: TextSink;
  /** Default: `process.env`. */
  env?: Record<string, string | undefined>;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. Default: `Date.now()`. */
  now?: () => number;
  /** A fresh delivery id. Default: `crypto.randomUUID()`. */
  randomId?: () => string;
}

class UsageError extends Error {}

const OPTIONS = {
  secret: { type: "string" },
  shop: { type: "string" },
  customer: { type: "string" },
  "path-prefix": { type: "string" },
  timestamp: { type: "string" },
  method: { type: "string" },
  data: { type: "string" },
  provider: { type: "string" },
  topic: { type: "string" },
  address: { type: "string" },
  "repeat-id": { type: "string" },
  "api-version": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

/**
 * The `sprocket` command: parses `argv` (without `node` and the script), runs it, and resolves to
 * the exit status. Never prints a secret.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
 */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  const { stdout, stderr } = environment;
  try {
    let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const { values, positionals } = parsed;
    const [group, command, ...rest] = positionals;
    if (values.help || !group) {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (group === "proxy" && (command === "sign" || command === "call")) {
      if (rest.length !== 1) throw new UsageError(`proxy ${command} takes one URL`);
      return await proxy(command, rest[0]!, values, environment);
    }
    if (group === "webhook" && command === "trigger") {
      if (rest.length !== 0) throw new UsageError(`unexpected argument: ${rest[0]}`);
      return await trigger(values, environment);
    }
    throw new UsageError(`unknown command: ${positionals.join(" ")}`);
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`sprocket: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    // Network failures and the like: the message only, which never holds the secret.
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
    stderr.write(`sprocket: ${error instanceof Error ? error.message : String(error)}${cause}\n`);
    return 1;
  }
}

function secretFrom(values: Values, environment: CliEnvironment, variable: string): string {
  const configured = values.secret ?? (environment.env ?? process.env)[variable];
  // The newest of a comma-separated list signs, as the sender would after a rotation.
  const secret = configured?.split(",")[0]?.trim();
  if (!secret) throw new UsageError(`no secret: pass --secret or set ${variable}`);
  return secret;
}

function timestampFrom(values: Values, environment: CliEnvironment): number {
  if (values.timestamp === undefined) return Math.floor((environment.now ?? Date.now)() / 1000);
  if (!/^\d{1,12}$/.test(values.timestamp)) throw new UsageError("--timestamp takes Unix seconds");
  return Number(values.timestamp);
}

function shopFrom(values: Values): string {
  const shop = values.shop ?? DEFAULT_PROXY_SHOP;
  if (!isMyshopifyDomain(shop)) throw new UsageError("--shop takes a *.myshopify.com domain");
  return shop;
}

function absoluteUrl(text: string, option: string): URL {
  if (!URL.canParse(text))
    throw new UsageError(`${option} takes an absolute URL, such as http://localhost:3000/`);
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`${option} takes an http(s) URL`);
  return url;
}

async function proxy(
  command: "sign" | "call",
  target: string,
  values: Values,
  environment: CliEnvironment,
): Promise<number> {
  const url = signAppProxyUrl({
    url: absoluteUrl(target, "the URL"),
    secret: secretFrom(values, environment, SECRET_VARIABLES.shopify),
    timestamp: timestampFrom(values, environment),
    shop: shopFrom(values),
    customerId: values.customer,
    pathPrefix: values["path-prefix"],
  });
  if (command === "sign") {
    if (values.method !== undefined || values.data !== undefined)
      throw new UsageError("--method and --data belong to proxy call");
    environment.stdout.write(`${url.href}\n`);
    return 0;
  }
  const method = (values.method ?? (values.data === undefined ? "GET" : "POST")).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError("--method takes an HTTP method, such as POST");
  if (values.data !== undefined) {
    if (method === "GET" || method === "HEAD") throw new UsageError(`--data cannot go with ${method}`);
    try {
      JSON.parse(values.data);
    } catch {
      throw new UsageError("--data takes JSON");
    }
  }
  environment.stdout.write(`${method} ${url.href}\n`);
  const response = await (environment.fetch ?? fetch)(url, {
    method,
    headers: values.data === undefined ? undefined : { "Content-Type": "application/json" },
    body: values.data,
  });
  return printResponse(response, environment.stdout);
}

async function trigger(values: Values, environment: CliEnvironment): Promise<number> {
  const provider = values.provider as WebhookSender | undefined;
  if (!provider || !WEBHOOK_SENDERS.includes(provider))
    throw new UsageError(`--provider takes one of ${WEBHOOK_SENDERS.join(", ")}`);
  if (values.address === undefined)
    throw new UsageError("--address is required, such as http://localhost:3000/webhooks/shopify");
  const address = absoluteUrl(values.address, "--address");
  const topic = values.topic ?? DEFAULT_TOPICS[provider];
  const secret = secretFrom(values, environment, SECRET_VARIABLES[provider]);
  if (provider === "standard" && !decodeStandardSecret(secret))
    throw new UsageError("a Standard Webhooks secret is whsec_ followed by base64");
  const timestamp = timestampFrom(values, environment);
  const shop = shopFrom(values);
  const deliveryId = values["repeat-id"] ?? freshId(provider, environment.randomId ?? randomUUID);
  if (deliveryId.trim() === "") throw new UsageError("--repeat-id takes a delivery id");
  const payload = webhookSample(provider, { topic, deliveryId, timestamp, shop });
  if (!payload) {
    throw new UsageError(`no ${provider} sample for ${topic}; try ${sampleTopics(provider)!.join(", ")}`);
  }
  const body = new TextEncoder().encode(JSON.stringify(payload));
  const headers = signWebhook({
    provider,
    secret,
    body,
    topic,
    deliveryId,
    timestamp,
    shop,
    apiVersion: values["api-version"],
  });
  const { stdout } = environment;
  stdout.write(`POST ${address.href}\n${provider} ${topic}, delivery ${deliveryId}\n`);
  for (const [name, value] of Object.entries(headers)) stdout.write(`> ${name}: ${value}\n`);
  const response = await (environment.fetch ?? fetch)(address, { method: "POST", headers, body });
  return printResponse(response, stdout);
}

function freshId(provider: WebhookSender, randomId: () => string): string {
  const id = randomId();
  // Stripe's event ids and Standard Webhooks' message ids carry a type prefix.
  if (provider === "stripe") return `evt_${id.replaceAll("-", "")}`;
  if (provider === "standard") return `msg_${id.replaceAll("-", "")}`;
  return id;
}

async function printResponse(response: Response, stdout: TextSink): Promise<number> {
  stdout.write(`\nHTTP ${response.status} ${response.statusText}\n`);
  for (const [name, value] of response.headers) stdout.write(`< ${name}: ${value}\n`);
  const text = await response.text();
  if (text !== "") stdout.write(`\n${text}${text.endsWith("\n") ? "" : "\n"}`);
  return response.ok ? 0 : 1;
}
