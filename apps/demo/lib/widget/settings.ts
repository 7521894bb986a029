// The widget's settings, checked where each route needs them: unconfigured, the widget's routes
// answer 503 naming the variable, like the webhook routes do.
import { HttpError } from "@sprocket/server";
import { config } from "../config";

/**
 * WIDGET_TOKEN_SECRET, or a 503 when it is unset.
 *
 * @example
 * const secret = widgetSecret();
 */
export function widgetSecret(): string {
  const secret = config().widget.tokenSecret;
  if (!secret) {
    throw new HttpError(
      "SERVICE_UNAVAILABLE",
      "The chat widget is not configured: set WIDGET_TOKEN_SECRET (see README.md).",
    );
  }
  return secret;
}

/**
 * Whether `origin` is one of WIDGET_ALLOWED_ORIGINS: the pages that may embed the widget.
 *
 * @example
 * if (!isAllowedWidgetOrigin(request.headers.get("origin"))) throw new HttpError("CORS_ORIGIN_DENIED");
 */
export function isAllowedWidgetOrigin(origin: string | null | undefined): boolean {
  // Exact matches only: "null" (sandboxed frames, file: pages) is never listed, config.ts refuses it.
  return !!origin && config().widget.allowedOrigins.includes(origin);
}

/**
 * An `onRequest` hook refusing requests whose `Origin` is not an allowed widget host: a browser
 * always sends `Origin` on cross-origin POSTs and on CORS reads, so its absence is refused too.
 *
 * @example
 * export const POST = route(handler, { onRequest: requireWidgetOrigin });
 */
export function requireWidgetOrigin({ request }: { request: { raw: Request } }): void {
  if (!isAllowedWidgetOrigin(request.raw.headers.get("origin"))) throw new HttpError("CORS_ORIGIN_DENIED");
}

/**
 * CORS for the widget's endpoints: the allowed hosts only, no cookies (the widget never uses them),
 * the bearer token and JSON bodies.
 */
export const WIDGET_CORS = {
  origin: (origin: string) => isAllowedWidgetOrigin(origin),
  methods: ["GET", "POST"],
  allowedHeaders: ["authorization", "content-type"],
  credentials: false,
  maxAge: 600,
};
