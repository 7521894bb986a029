import { describe, expect, it } from "vitest";
import { adminFramePolicy } from "./admin-frame-policy";

describe("adminFramePolicy", () => {
  it("lets the shop's admin and admin.shopify.com frame the page", () => {
    expect(adminFramePolicy("shop-a.myshopify.com")).toBe(
      "frame-ancestors https://shop-a.myshopify.com https://admin.shopify.com",
    );
  });

  it("lets nobody frame it for a missing or foreign shop", () => {
    for (const shop of [
      null,
      "",
      "evil.example.com",
      "evil.com/.myshopify.com",
      "shop-a.myshopify.com https://evil.example.com",
      "shop-a.myshopify.com;script-src *",
      "SHOP-A.MYSHOPIFY.COM",
    ]) {
      expect(adminFramePolicy(shop)).toBe("frame-ancestors 'none'");
    }
  });
});
