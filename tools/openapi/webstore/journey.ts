// A web store's intake written as its developer would: against a client typed from the core's OpenAPI document
// (openapi-typescript generates ./generated/api.d.ts from /openapi/v1.json; openapi-fetch is the client). tsc checks
// this file against those types, so a change of the API's shape breaks it here before it breaks a store.
//
// node webstore/out/journey.js, with LOGISTICS_URL, WEBSTORE_KEY, LOCKER_ID and HOOK_URL set: prints one JSON line.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api.js";

type OrderInput = components["schemas"]["OrderInput"];

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const client = createClient<paths>({ baseUrl: need("LOGISTICS_URL"), headers: { Authorization: `Bearer ${need("WEBSTORE_KEY")}` } });

  // Where the store's system hears back: the answer's secret checks every webhook's signature.
  const hook = await client.POST("/api/webhooks", { body: { url: need("HOOK_URL") } });
  if (hook.response.status !== 201 || !hook.data) throw new Error(`adding the webhook endpoint: ${hook.response.status} ${JSON.stringify(hook.error)}`);

  // The checkout offers the network's lockers; the customer chose one.
  const lockers = await client.GET("/api/lockers");
  if (!lockers.data?.some(l => l.lockerId === need("LOCKER_ID"))) throw new Error("the customer's locker is not offered");

  const order: OrderInput = {
    orderId: "TS-1001",
    recipient: { name: "Ana Martin", phone: "+33 6 12 34 56 78", email: null, address: null },
    size: "S",
    destination: { kind: "locker", lockerId: need("LOCKER_ID"), shopId: null, from: null, to: null },
  };
  const created = await client.POST("/api/orders", { body: order });
  if (created.response.status !== 201 || !created.data) throw new Error(`sending the order: ${created.response.status} ${JSON.stringify(created.error)}`);

  // The store's job runs again after a timeout: the same order, the same parcel.
  const again = await client.POST("/api/orders", { body: order });
  if (again.response.status !== 200 || again.data?.parcelId !== created.data.parcelId || !again.data.repeated) {
    throw new Error(`sending the order again: ${again.response.status} ${JSON.stringify(again.data ?? again.error)}`);
  }

  const changed = await client.POST("/api/orders", { body: { ...order, size: "L" } });
  if (changed.response.status !== 409) throw new Error(`a changed order was not refused: ${changed.response.status}`);

  const status = await client.GET("/api/orders/{orderId}", { params: { path: { orderId: "TS-1001" } } });
  if (!status.data) throw new Error(`reading the order: ${status.response.status}`);

  console.log(JSON.stringify({
    parcelId: created.data.parcelId,
    trackingId: created.data.trackingId,
    status: status.data.status,
    refusedCode: (changed.error as { code?: string } | undefined)?.code ?? null,
    secret: hook.data.secret,
  }));
}

main().catch((error: unknown) => {
  console.error(`journey: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
