// A page on a second origin that embeds the demo's chat widget, as a shop's page would: `npm run
// demo` serves it next to the app, so the widget can be tried across origins with no setup.
import { createServer } from "node:http";

/** The host page's HTML: a plain product page with the one script tag a site adds. */
export function widgetHostPageHtml(appOrigin) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Example shop: the Sprocket chat widget</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1f2328; }
    code { background: #f3f4f6; padding: 0.1rem 0.3rem; border-radius: 4px; }
  </style>
</head>
<body>
  <h1>Example shop</h1>
  <p>This page is served from another origin than the app, like a shop's storefront. It embeds the
  chat with one tag; open it with the button at the bottom right.</p>
  <pre><code>&lt;script src="${appOrigin}/widget.js" data-greeting="Hi! Ask me about our sprockets." async&gt;&lt;/script&gt;</code></pre>
  <script src="${appOrigin}/widget.js" data-greeting="Hi! Ask me about our sprockets." async></script>
</body>
</html>
`;
}

/**
 * Serves the host page on `host:port`. Resolves the server, or `undefined` (with the reason
 * logged) when the port is taken: the demo runs without it.
 */
export function startWidgetHostPage({ host, port, appOrigin }) {
  const html = widgetHostPageHtml(appOrigin);
  const server = createServer((request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (new URL(request.url ?? "/", "http://host").pathname !== "/") {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    response.end(request.method === "HEAD" ? undefined : html);
  });
  return new Promise((resolve) => {
    server.once("error", (error) => {
      console.warn(`[sprocket] widget host page not served (${error.code ?? error.message})`);
      resolve(undefined);
    });
    server.listen(port, host, () => resolve(server));
  });
}
