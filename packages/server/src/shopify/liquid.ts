/** The content type Shopify renders through the shop's theme when an app proxy answers it. */
export const LIQUID_CONTENT_TYPE = "application/liquid";

/** Options of {@link liquid}. */
export interface LiquidOptions {
  /** `false` renders the body without the theme's layout (`{% layout none %}`). Default: true. */
  layout?: boolean;
  /** Extra response options (status, headers). */
  init?: ResponseInit;
}

/**
 * A Liquid answer for an app proxy request: Shopify renders it in the storefront, inside the theme's
 * layout unless `layout` is false. Send it with `reply.send(...)` or return it.
 *
 * @example
 * return liquid("Hello {{ customer.first_name }}", { layout: false });
 */
export function liquid(body: string, { layout = true, init }: LiquidOptions = {}): Response {
  const headers = new Headers(init?.headers);
  headers.set("content-type", `${LIQUID_CONTENT_TYPE}; charset=utf-8`);
  return new Response(layout ? body : `{% layout none %} ${body}`, { ...init, headers });
}
