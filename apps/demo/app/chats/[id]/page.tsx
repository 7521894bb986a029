import { SignedInOrRedirect } from "@sprocket/react";
import type { Metadata } from "next";
import { config } from "@/lib/config";
import { ChatView } from "./chat-view";

export const metadata: Metadata = { title: "Chat · Sprocket demo" };

export default async function ChatPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <SignedInOrRedirect path="/sign-in">
      {/* Only whether the model is the offline one reaches the browser, never its settings. */}
      <ChatView id={id} isOffline={config().model.isOffline} />
    </SignedInOrRedirect>
  );
}
