// The frame's entry: reads the settings the server wrote into the page (the host origin it
// verified) and the options in the URL, then renders the chat with the Sprocket hooks, which send
// the host's widget token with every request. Built by scripts/build-widget.mjs into
// public/widget/frame.js.
import { SprocketProvider } from "@sprocket/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { accentOf, CLOSE, themeOf } from "../protocol";
import { createTokenChannel } from "./token-channel";
import { WidgetChat } from "./widget-chat";
import "./frame.css";

const settings = JSON.parse(document.getElementById("widget-settings")?.textContent ?? "{}") as {
  host?: string;
};
const host = settings.host;
const options = new URLSearchParams(location.search);
const root = document.getElementById("widget-root");

// The server only renders this page for an allowed host; without one there is nobody to talk to.
if (host && root) {
  const channel = createTokenChannel(host);
  const close = () => parent.postMessage({ type: CLOSE }, host);
  document.documentElement.dataset.theme = themeOf(options.get("theme"));
  document.documentElement.style.setProperty("--accent", accentOf(options.get("accent")));
  addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  createRoot(root).render(
    <StrictMode>
      <SprocketProvider auth={channel}>
        <WidgetChat
          greeting={(options.get("greeting") ?? "").slice(0, 500)}
          onClose={close}
          onFocusRequest={channel.onFocus}
        />
      </SprocketProvider>
    </StrictMode>,
  );
}
