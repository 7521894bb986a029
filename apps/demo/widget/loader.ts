// The widget's loader: `<script src="https://APP/widget.js" data-greeting="Hi!" async></script>` on
// any allowed page. It draws a launcher button and a dialog holding an iframe of the app's
// /widget/frame, inside a shadow root so the page's CSS cannot restyle them. It fetches the
// visitor's token from the app (or, on a Shopify storefront, through the app proxy) and hands it to
// the frame by postMessage, addressed to the app's origin only. Built by scripts/build-widget.mjs
// into public/widget.js; kept free of dependencies (5 KB budget, checked by a test).
import { accentOf, CLOSE, FOCUS, READY, TOKEN, TOKEN_ERROR, TOKEN_REQUEST, themeOf } from "./protocol";

/** Where an anonymous visitor's key is kept between visits, on the host page's origin. */
const VISITOR_KEY_STORAGE = "sprocket-widget-visitor";

interface TokenAnswer {
  token: string;
  expiresAt: number;
  visitorKey?: string;
}

const STYLE = `
:host{all:initial}
.launcher{position:fixed;bottom:16px;width:56px;height:56px;border-radius:50%;border:0;background:var(--accent);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3);display:grid;place-items:center;z-index:2147483646}
.launcher:focus-visible{outline:3px solid var(--accent);outline-offset:3px}
.launcher svg{width:28px;height:28px;fill:currentColor}
.dialog{position:fixed;bottom:84px;width:min(400px,calc(100vw - 16px));height:min(600px,calc(100vh - 100px));border-radius:12px;overflow:hidden;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff;z-index:2147483647}
.dialog[hidden]{display:none}
.right{right:16px}.left{left:16px}
iframe{border:0;width:100%;height:100%;display:block}
@media (max-width:480px){.dialog{left:8px;right:8px;width:auto;bottom:80px;height:calc(100vh - 96px)}}
`;

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
const CLOSE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"/></svg>';

function start(script: HTMLScriptElement): void {
  const app = new URL(script.src).origin;
  const data = script.dataset;
  const side = data.position === "bottom-left" ? "left" : "right";
  const label = data.label || "Chat with us";
  // On a Shopify storefront: the app proxy's path (e.g. "/apps/sprocket"), same origin as the page.
  const proxy = data.shopifyProxy?.replace(/\/+$/, "");

  const element = document.createElement("sprocket-chat-widget");
  const root = element.attachShadow({ mode: "open" });
  root.innerHTML = `<style>${STYLE}</style><button type="button" class="launcher ${side}" aria-haspopup="dialog" aria-expanded="false" aria-controls="sprocket-chat"></button><div id="sprocket-chat" class="dialog ${side}" role="dialog" hidden></div>`;
  const launcher = root.querySelector("button") as HTMLButtonElement;
  const dialog = root.querySelector("div") as HTMLDivElement;
  // One name in both states: `aria-expanded` says whether the chat is open.
  launcher.setAttribute("aria-label", label);
  dialog.setAttribute("aria-label", label);
  element.style.setProperty("--accent", accentOf(data.accent));
  let frame: HTMLIFrameElement | undefined;
  let isOpen = false;

  const render = () => {
    launcher.innerHTML = isOpen ? CLOSE_ICON : CHAT_ICON;
    launcher.setAttribute("aria-expanded", String(isOpen));
    dialog.hidden = !isOpen;
  };

  const send = (message: object) => frame?.contentWindow?.postMessage(message, app);

  const open = () => {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.title = label;
      const query = new URLSearchParams({
        host: location.origin,
        greeting: data.greeting ?? "",
        theme: themeOf(data.theme),
        accent: accentOf(data.accent),
      });
      frame.src = `${app}/widget/frame?${query}`;
      dialog.append(frame);
    }
    isOpen = true;
    render();
    frame.focus();
    send({ type: FOCUS });
  };

  const close = () => {
    isOpen = false;
    render();
    launcher.focus();
  };

  const deliverToken = async () => {
    try {
      send({ type: TOKEN, ...(await fetchToken(app, proxy)) });
    } catch {
      send({ type: TOKEN_ERROR });
    }
  };

  launcher.addEventListener("click", () => (isOpen ? close() : open()));
  root.addEventListener("keydown", (event) => {
    if ((event as KeyboardEvent).key === "Escape" && isOpen) close();
  });
  addEventListener("message", (event) => {
    // The frame's window, from the app's origin: nothing else may ask for a token or close the chat.
    if (!frame || event.source !== frame.contentWindow || event.origin !== app) return;
    const type = event.data?.type;
    if (type === READY || type === TOKEN_REQUEST) void deliverToken();
    if (type === READY && isOpen) {
      // Focus the frame from here first: a cross-origin frame may not take focus by itself.
      frame.focus();
      send({ type: FOCUS });
    }
    if (type === CLOSE) close();
  });
  render();
  document.body.append(element);
}

async function fetchToken(app: string, proxy: string | undefined): Promise<TokenAnswer> {
  const visitorKey = readVisitorKey();
  // Cookies are never sent: Shopify strips them on the proxy, and the app reads only the token.
  const response = proxy
    ? await fetch(`${proxy}/widget-token${visitorKey ? `?visitorKey=${encodeURIComponent(visitorKey)}` : ""}`)
    : await fetch(`${app}/api/widget/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(visitorKey ? { visitorKey } : {}),
        credentials: "omit",
      });
  if (!response.ok) throw new Error(`The chat is not available here (${response.status})`);
  const answer = (await response.json()) as TokenAnswer;
  if (answer.visitorKey) writeVisitorKey(answer.visitorKey);
  return { token: answer.token, expiresAt: answer.expiresAt };
}

function readVisitorKey(): string | null {
  try {
    return localStorage.getItem(VISITOR_KEY_STORAGE);
  } catch {
    // Storage blocked (privacy settings): a new visitor each visit.
    return null;
  }
}

function writeVisitorKey(value: string): void {
  try {
    localStorage.setItem(VISITOR_KEY_STORAGE, value);
  } catch {
    // As above.
  }
}

// `currentScript` is only set while the script first runs, so it is read now; `async` scripts may
// run before the body exists.
const script = document.currentScript as HTMLScriptElement | null;
if (script?.src) {
  if (document.body) start(script);
  else addEventListener("DOMContentLoaded", () => start(script));
}
