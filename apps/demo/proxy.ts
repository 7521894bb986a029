// Next.js Proxy (formerly Middleware): response headers that depend on the request's URL.
import { type NextRequest, NextResponse } from "next/server";
import { adminFramePolicy } from "@/lib/admin-frame-policy";

export function proxy(request: NextRequest) {
  const response = NextResponse.next();
  // The embedded admin page may be framed by its shop's admin only (see lib/admin-frame-policy.ts).
  response.headers.set("Content-Security-Policy", adminFramePolicy(request.nextUrl.searchParams.get("shop")));
  return response;
}

export const config = {
  // The embedded admin pages only: other pages keep their own frame rules.
  matcher: ["/admin", "/admin/:path*"],
};
