import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonBody } from "../../../src/server/middleware/json-body.js";
import { middlewareApp } from "../../support/middleware-app.js";

const app = middlewareApp(jsonBody());
const post = (body: string, type?: string) =>
  app.request("/x", { method: "POST", body, headers: type === undefined ? {} : { "content-type": type } });
const error = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

test("S1.4 json body: application/json, charset and +json types are read", async () => {
  for (const type of [
    "application/json",
    "application/json; charset=utf-8",
    "application/merge-patch+json",
    "APPLICATION/JSON",
  ]) {
    const response = await post('{"a":1}', type);
    assert.equal(response.status, 200, type);
    assert.deepEqual(((await response.json()) as { body: unknown }).body, { a: 1 });
  }
});

test("S1.4 json body: a missing content type is read as JSON", async () => {
  const response = await app.request("/x", { method: "POST", body: new TextEncoder().encode('{"a":1}') });
  assert.equal(response.status, 200);
});

test("S1.4 json body: another content type is 415, naming it", async () => {
  for (const type of ["text/plain", "multipart/form-data; boundary=x", "application/jsonp"]) {
    const response = await post("{}", type);
    assert.equal(response.status, 415, type);
    const e = await error(response);
    assert.equal(e.code, "unsupported_media_type");
    assert.ok(e.message.includes(type), e.message);
  }
});

test("S1.4 json body: text that is not JSON is 400 invalid_json", async () => {
  const e = await error(await post("{nope", "application/json"));
  assert.equal(e.code, "invalid_json");
  assert.match(e.message, /not valid JSON/);
});

test("S1.4 json body: JSON that is not an object is 400", async () => {
  for (const text of ["[]", "1", '"s"', "null", "true"]) {
    const response = await post(text, "application/json");
    assert.equal(response.status, 400, text);
    assert.match((await error(response)).message, /must be a JSON object/);
  }
});

test("Q3 json body: __proto__ stays an own data key", async () => {
  const response = await post('{"__proto__": {"x": 1}}', "application/json");
  const { body } = (await response.json()) as { body: Record<string, unknown> };
  assert.deepEqual(Object.keys(body), ["__proto__"]);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});
