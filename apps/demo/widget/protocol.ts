// The messages the loader (on the host page) and the frame (on the app's origin) exchange by
// postMessage. Each side sends to the other's exact origin only, and reads only messages whose
// `source` is the other's window and whose `origin` is the other's origin.

/** Frame → host: the frame is listening; send a token. */
export const READY = "sprocket-widget:ready";
/** Frame → host: the token is about to run out; send a new one. */
export const TOKEN_REQUEST = "sprocket-widget:token-request";
/** Frame → host: close the dialog (Escape, the close button). */
export const CLOSE = "sprocket-widget:close";
/** Host → frame: `{ token, expiresAt }`. */
export const TOKEN = "sprocket-widget:token";
/** Host → frame: no token could be had (the app refused this host, or is unreachable). */
export const TOKEN_ERROR = "sprocket-widget:token-error";
/** Host → frame: the dialog opened; move focus to the message box. */
export const FOCUS = "sprocket-widget:focus";

/** The options the loader reads from its script tag's data- attributes and hands to the frame. */
export interface WidgetOptions {
  greeting: string;
  theme: "light" | "dark" | "auto";
  accent: string;
}

/** The accent when `data-accent` is missing or not a hex colour: white text on it passes WCAG AA. */
export const DEFAULT_ACCENT = "#1d4ed8";

/** Only hex colours: anything else could carry CSS into the frame's styles. */
export function accentOf(value: string | null | undefined): string {
  return value && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) ? value : DEFAULT_ACCENT;
}

/** `light`, `dark`, or `auto` (the visitor's system setting, the default). */
export function themeOf(value: string | null | undefined): WidgetOptions["theme"] {
  return value === "light" || value === "dark" ? value : "auto";
}
