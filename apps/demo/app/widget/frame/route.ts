// The widget's frame: the page the loader (public/widget.js) puts in an iframe on an allowed host.
// A plain HTML shell around the frame bundle (public/widget/frame.js, built by scripts/build-widget.mjs),
// answered here rather than as a Next.js page so its headers are the widget's own: the frame may be
// shown inside the one host origin it was opened for (`?host=`), if that origin is allowed, and
// nowhere else; scripts, styles and requests stay on the app's origin.
import { withRequestLog } from "@sprocket/server";
import { isAllowedWidgetOrigin } from "@/lib/widget/settings";

export const dynamic = "force-dynamic";

/** The frame's policy apart from `frame-ancestors`. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

export const GET = withRequestLog(function frame(request: Request): Response {
  const host = new URL(request.url).searchParams.get("host");
  const security = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
  };
  if (!host || !isAllowedWidgetOrigin(host)) {
    // Refused, and unframeable (X-Frame-Options for browsers without frame-ancestors).
    return new Response("This page may not be embedded here.", {
      status: 403,
      headers: {
        ...security,
        "content-type": "text/plain; charset=utf-8",
        "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
        "x-frame-options": "DENY",
      },
    });
  }
  // `<` escaped so no value can close the script element; the host is an exact origin by now.
  const settings = JSON.stringify({ host }).replace(/</g, "\\u003c");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Chat</title>
<link rel="stylesheet" href="/widget/frame.css">
</head>
<body>
<div id="widget-root"></div>
<script type="application/json" id="widget-settings">${settings}</script>
<script src="/widget/frame.js" defer></script>
</body>
</html>
`;
  return new Response(html, {
    headers: {
      ...security,
      "content-type": "text/html; charset=utf-8",
      // Every ancestor is held to it: an allowed host framed by another site is refused too.
      "content-security-policy": `${CONTENT_SECURITY_POLICY}; frame-ancestors ${host}`,
    },
  });
});
