// The seed's two app-proxy routes. Shopify forwards https://{shop}/apps/{subpath}/... here, signed;
// proxyRoute checks the signature first and gives the shop's Admin API and the customer's `api`.
import { HttpError } from "@sprocket/server";
import { proxyRoute } from "@/lib/shopify";

const METAFIELDS_SET = `
  mutation ($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { key namespace value }
      userErrors { message }
    }
  }
`;

/** Sets the logged-in customer's nickname metafield through the Admin API. */
export const POST = proxyRoute(async ({ request, reply, logger, connections }) => {
  const customerId = request.query.logged_in_customer_id;
  if (!customerId) return await reply.code(401).send({ error: { message: "Unauthorized" } });
  const shopify = connections.shopify.current;
  if (!shopify) throw new HttpError("SERVICE_UNAVAILABLE", "The app is not installed on this shop");

  const response = await shopify.graphql(METAFIELDS_SET, {
    metafields: [
      {
        key: "nickname",
        namespace: "my_fields",
        ownerId: `gid://shopify/Customer/${customerId}`,
        type: "single_line_text_field",
        value: typeof request.body?.nickname === "string" ? request.body.nickname : "Big Tuna",
      },
    ],
  });
  if (response?.metafieldsSet?.userErrors?.length) {
    logger.error({ errors: response.metafieldsSet.userErrors }, "Errored setting metafields");
    return await reply.code(500).send();
  }
  await reply.send();
});

/** The logged-in customer's own row. */
export const GET = proxyRoute(async ({ request, reply, api }) => {
  const customerId = request.query.logged_in_customer_id;
  if (!customerId) return await reply.code(401).send({ error: { message: "Unauthorized" } });

  const customer = await api.shopifyCustomer.maybeFindOne(customerId, {
    select: { customData: true },
  });
  if (!customer) return await reply.code(404).send({ error: { message: "Customer not found" } });
  await reply.send({ ...customer });
});
