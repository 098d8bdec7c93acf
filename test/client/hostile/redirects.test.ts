// Issue 9, redirects (P2.6, Q3): a hop to another origin drops every secret-named header the user
// set and cookies, not only Authorization and api-key; a 301, 302 or 303 answering a POST fails,
// naming the Location (secrets redacted), rather than becoming a GET without the body; 307 and 308
// are followed with the body.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AzureKeyCredential, ChatCompletionsClient, ServiceRequestError } from "../../../src/index.js";
import { useLoopbackServer } from "../../support/loopback-server.js";
import { hiMessages, okReply } from "../../support/chat-replies.js";
import { transports } from "../../support/transports.js";

const KEY = "sk-redirect-key-0123456789";
const SECRET_HEADERS = {
  "Ocp-Apim-Subscription-Key": "apim-secret-value",
  "x-api-key": "x-api-secret-value",
  Cookie: "session=cookie-secret-value",
  "x-custom-token": "custom-token-value",
  "x-request-signature": "signature-value",
  "x-client-secret": "client-secret-value",
};

for (const transport of transports) {
  describe(`issue 9 redirects over ${transport.name}`, () => {
    for (const status of [307, 308]) {
      test(`P2.6 a ${status} to another origin keeps the body and drops every secret header and cookie`, async (t) => {
        const other = await useLoopbackServer(t, okReply);
        const server = await useLoopbackServer(t, {
          status,
          headers: { location: `${other.url}/moved/chat/completions` },
        });
        const client = new ChatCompletionsClient(server.url, new AzureKeyCredential(KEY), {
          ...transport.options,
          headers: { ...SECRET_HEADERS, "x-trace-tag": "kept" },
        });
        assert.equal((await client.complete({ messages: hiMessages })).id, "1");
        const first = server.requests[0].headers;
        for (const name of Object.keys(SECRET_HEADERS))
          assert.ok(first[name.toLowerCase()], `${name} was sent first`);
        const moved = other.requests[0];
        assert.equal(moved.method, "POST");
        assert.deepEqual(moved.json(), { messages: hiMessages });
        for (const name of [
          "authorization",
          "api-key",
          ...Object.keys(SECRET_HEADERS).map((n) => n.toLowerCase()),
        ]) {
          assert.equal(moved.headers[name], undefined, `${name} reached the other origin`);
        }
        assert.equal(moved.headers["x-trace-tag"], "kept");
      });
    }

    test("P2.6 a 307 within the origin keeps every header", async (t) => {
      const server = await useLoopbackServer(t, (request, reply) =>
        request.path === "/chat/completions"
          ? reply({ status: 307, headers: { location: "/v2/chat/completions" } })
          : reply(okReply),
      );
      const client = new ChatCompletionsClient(server.url, new AzureKeyCredential(KEY), {
        ...transport.options,
        headers: SECRET_HEADERS,
      });
      await client.complete({ messages: hiMessages });
      assert.equal(server.requests[1].headers["api-key"], KEY);
      assert.equal(server.requests[1].headers["x-api-key"], "x-api-secret-value");
    });

    for (const status of [301, 302, 303]) {
      test(`P2.6 a ${status} answering a POST fails, naming the Location, and is not followed`, async (t) => {
        const server = await useLoopbackServer(t, {
          status,
          headers: { location: `/elsewhere/chat/completions?sig=sas-signature-value&x=1` },
        });
        const client = new ChatCompletionsClient(server.url, null, transport.options);
        const error = await client.complete({ messages: hiMessages }).catch((e: unknown) => e);
        assert.ok(error instanceof ServiceRequestError, String(error));
        assert.ok(
          error.message.includes(
            `was answered ${status} with Location ${server.url}/elsewhere/chat/completions?sig=%5BREDACTED%5D&x=1. ` +
              `A ${status} would turn the POST into a GET without its body, so it is not followed`,
          ),
          error.message,
        );
        assert.equal(server.requests.length, 1, "neither followed nor retried");
      });
    }
  });
}
