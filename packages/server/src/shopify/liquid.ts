/** The content type Shopify renders through the shop's theme when an app proxy answers it. */
export const LIQUID_CONTENT_TYPE = "application/liquid";

/**
 * Options of {@link liquid}, as Shopify's packages take them: the response's own options (status,
 * statusText, headers) and `layout`.
 */
export interface LiquidOptions extends ResponseInit {
  /** `false` renders the body without the theme's layout (`{% layout none %}`). Default: true. */
  layout?: boolean;
  /** The response's options, as an earlier form of this helper took them; the top level wins. */
  init?: ResponseInit;
}

/**
 * A Liquid answer for an app proxy request, as Shopify's `liquid` helper makes it: Shopify renders
 * it in the storefront, inside the theme's layout unless `layout` is false. The second argument is
 * a status, or options. Relative `action`s of forms and `href`s of links get a trailing slash, as
 * Shopify's packages add one: the storefront resolves a proxied page's relative paths from it.
 * Send it with `reply.send(...)` or return it.
 *
 * @example
 * return liquid("Hello {{ customer.first_name }}", { layout: false });
 * return liquid("Not found", 404);
 */
export function liquid(body: string, statusOrOptions?: number | LiquidOptions): Response {
  const {
    layout = true,
    init,
    ...responseInit
  }: LiquidOptions = typeof statusOrOptions === "number"
    ? { status: statusOrOptions }
    : (statusOrOptions ?? {});
  const options: ResponseInit = { ...init, ...responseInit };
  const headers = new Headers(options.headers);
  headers.set("content-type", LIQUID_CONTENT_TYPE);
  const processed = withTrailingSlashes(body);
  return new Response(layout ? processed : `{% layout none %} ${processed}`, { ...options, headers });
}

/**
 * `<form ... action="/path?query">` and `<a ... href="/path?query">` with a slash after the path,
 * as Shopify's packages write them; absolute URLs and paths that end in a slash are left alone.
 */
function withTrailingSlashes(body: string): string {
  return body
    .replaceAll(/<(form[^>]+)action="(\/[^"?]+)(\?[^"]+)?">/g, (whole, tag, path, query = "") =>
      path.endsWith("/") ? whole : `<${tag}action="${path}/${query}">`,
    )
    .replaceAll(/<(a[^>]+)href="(\/[^"?]+)(\?[^"]+)?">/g, (whole, tag, path, query = "") =>
      path.endsWith("/") ? whole : `<${tag}href="${path}/${query}">`,
    );
}
