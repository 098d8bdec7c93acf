import { test } from "node:test";
import assert from "node:assert/strict";
import {
  HttpError,
  abortedError,
  badRequest,
  isHttpError,
  renderError,
} from "../../src/server/http-error.js";

test("S1.4 HttpError renders the envelope with code, message and param", async () => {
  const response = renderError(badRequest("'x' must be a number.", "x"));
  assert.equal(response.status, 400);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(await response.json(), {
    error: { code: "invalid_request", message: "'x' must be a number.", param: "x" },
  });
});

test("S1.4 the envelope has no param when none is known, and carries extra headers", async () => {
  const error = new HttpError({
    status: 429,
    code: "too_many_requests",
    message: "busy",
    headers: { "retry-after": "2" },
  });
  const response = renderError(error);
  assert.equal(response.headers.get("retry-after"), "2");
  assert.deepEqual(await response.json(), { error: { code: "too_many_requests", message: "busy" } });
});

test("S1.4 an unknown error is a bare 500 that shows nothing of it", async () => {
  const response = renderError(new Error("database password is hunter2"));
  assert.equal(response.status, 500);
  const text = await response.text();
  assert.ok(!text.includes("hunter2"));
  assert.deepEqual(JSON.parse(text), {
    error: { code: "internal_error", message: "Internal server error." },
  });
  assert.equal(renderError("a string").status, 500);
});

test("S1.6 abortedError: the server's reason, else 499 for a client that left", () => {
  const shutdown = new AbortController();
  const reason = new HttpError({ status: 503, code: "server_shutting_down", message: "bye" });
  shutdown.abort(reason);
  assert.equal(abortedError(shutdown.signal), reason);
  const client = new AbortController();
  client.abort();
  assert.equal(abortedError(client.signal).status, 499);
  assert.ok(isHttpError(reason) && !isHttpError(new Error("x")));
});
