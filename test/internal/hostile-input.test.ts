// Issue 9's private helpers on their own: the redaction rules (P3.3: every secret the client knows,
// by length), the JSON depth scan, the error-body limit, and the HTML reducer.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  REDACTED,
  redactCutText,
  redactText,
  redactUrl,
  redactValue,
  secretsOfHeaders,
  secretsOfUrl,
} from "../../src/internal/redact.js";
import { jsonNestsDeeperThan } from "../../src/internal/json-depth.js";
import { MAX_ERROR_BODY_BYTES, errorBody, redactedErrorBody } from "../../src/internal/error-body.js";
import { htmlText } from "../../src/internal/html-text.js";

test("P3.3 secrets of headers: every secret-named header's value, a bearer's token, each cookie's value", () => {
  const found = secretsOfHeaders({
    "ocp-apim-subscription-key": "apim-value",
    "x-api-key": "x-value",
    authorization: "Bearer token-value",
    cookie: "a=cookie-1; b=cookie-2",
    "x-my-secret": "mine",
    "x-access-token": "tok",
    "x-signature": "sig",
    accept: "application/json",
    "x-removed-key": null,
  });
  for (const value of [
    "apim-value",
    "x-value",
    "Bearer token-value",
    "token-value",
    "cookie-1",
    "cookie-2",
    "mine",
    "tok",
    "sig",
  ]) {
    assert.ok(found.includes(value), value);
  }
  assert.ok(!found.includes("application/json"));
});

test("P3.3 secrets of a URL: userinfo and secret-named query values (code, sig, key...), not api-version", () => {
  const found = secretsOfUrl(
    new URL("https://user:p%40ss@h.example/x?api-version=2024-05-01&code=fn-code&sig=a%2Bb&token=t1&sv=2022"),
  );
  for (const value of ["user", "p%40ss", "p@ss", "fn-code", "a+b", "a%2Bb", "t1"])
    assert.ok(found.includes(value), value);
  assert.ok(!found.includes("2024-05-01"));
  assert.ok(!found.includes("2022"));
});

test("P3.3 by length: 8+ anywhere, 4 to 7 as a whole word, under 4 never inside text", () => {
  assert.equal(redactText("x-long-secret-1y", ["long-secret-1"]), `x-${REDACTED}y`);
  assert.equal(
    redactText("k3y9 (k3y9) k3y9x xk3y9 _k3y9", ["k3y9"]),
    `${REDACTED} (${REDACTED}) k3y9x xk3y9 _k3y9`,
  );
  assert.equal(redactText("401 1 12", ["1"]), "401 1 12");
  assert.equal(redactText("abc", ["abc"]), "abc");
  // A short secret inside a long one does not break the long one's match.
  assert.equal(redactText("key=abcd-efgh-ijkl", ["abcd", "abcd-efgh-ijkl"]), `key=${REDACTED}`);
});

test("P3.3 whole values of any length are redacted: JSON strings, and query values in URLs", () => {
  assert.deepEqual(redactValue({ key: "1", list: ["1", "12"], n: 1 }, ["1"]), {
    key: REDACTED,
    list: [REDACTED, "12"],
    n: 1,
  });
  assert.equal(
    redactUrl("https://h.example/p?mine=ab&api-version=1&code=zz", ["ab"]),
    `https://h.example/p?mine=${encodeURIComponent(REDACTED)}&api-version=1&code=${encodeURIComponent(REDACTED)}`,
  );
});

test("P3.3 redactValue keeps a __proto__ key as data and never walks past the depth limit", () => {
  const body = JSON.parse('{"__proto__": {"polluted": "secret-long-value"}}') as Record<string, unknown>;
  const copy = redactValue(body, ["secret-long-value"]) as Record<string, unknown>;
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  assert.deepEqual(Object.getOwnPropertyDescriptor(copy, "__proto__")?.value, { polluted: REDACTED });
  let deep: unknown = "secret-long-value";
  for (let i = 0; i < 5000; i++) deep = [deep];
  assert.doesNotThrow(() => redactValue(deep, ["secret-long-value"]));
});

test("issue 9 JSON depth: brackets inside strings do not count, escapes are honoured, linear in the text", () => {
  const nest = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  assert.equal(jsonNestsDeeperThan(nest(512)), false);
  assert.equal(jsonNestsDeeperThan(nest(513)), true);
  assert.equal(jsonNestsDeeperThan(JSON.stringify({ text: "[".repeat(5000) })), false);
  assert.equal(jsonNestsDeeperThan(JSON.stringify({ text: `\\"${"{".repeat(3000)}` })), false);
  assert.equal(jsonNestsDeeperThan(`{"a":"\\\\",${'"b":['.repeat(600)}1${"]".repeat(600)}}`), true);
  assert.equal(jsonNestsDeeperThan("[".repeat(100_000)), true);
});

test("P3.2 error bodies: 64 KiB kept; a cut body is raw text, never split inside a character", () => {
  const whole = errorBody('{"error":{"message":"x"}}');
  assert.deepEqual(whole, { body: { error: { message: "x" } }, truncated: false });
  const cut = errorBody(`{"a":"${"🚀".repeat(40_000)}"}`);
  assert.equal(cut.truncated, true);
  assert.equal(typeof cut.body, "string");
  assert.ok((cut.body as string).length <= MAX_ERROR_BODY_BYTES);
  assert.doesNotMatch(cut.body as string, /[\uD800-\uDBFF]$/);
  assert.deepEqual(errorBody('{"a":1}', true), { body: '{"a":1}', truncated: true }, "read cut: stays raw");
});

test("P3.2 the HTML reducer: title and visible text, scripts and styles out, entities decoded", () => {
  assert.equal(
    htmlText(
      "<html><head><title>502 Bad Gateway</title><style>p{}</style></head><body><h1>Bad&nbsp;Gateway</h1>" +
        "<script>var x = '<b>';</script><p>nginx &amp; co &#8212; &#x41;</p></body></html>",
    ),
    "502 Bad Gateway: Bad Gateway nginx & co — A",
  );
  assert.equal(htmlText("<p>a < b and c</p>"), "a < b and c");
  assert.equal(htmlText("<script>never closed <p>text</p>"), "never closed text");
});

test("P3.3 a cut that splits a secret shows at most 3 of its characters", () => {
  const key = "sk-cut-secret-0123456789";
  for (let kept = 1; kept < key.length; kept++) {
    const cut = redactCutText(`filler ${key.slice(0, kept)}`, [key]);
    assert.equal(cut, kept < 4 ? `filler ${key.slice(0, kept)}` : `filler ${REDACTED}`, `${kept} kept`);
  }
  assert.equal(redactCutText(`${key} and ${key.slice(0, 9)}`, [key]), `${REDACTED} and ${REDACTED}`);
  // A short secret's beginning is a word's beginning, as the secret itself would be.
  assert.equal(redactCutText("a Zq7W", ["Zq7Wx2"]), `a ${REDACTED}`);
  assert.equal(redactCutText("aZq7W", ["Zq7Wx2"]), "aZq7W");
  assert.equal(redactCutText("401 1", ["1"]), "401 1");
});

test("P3.3 error bodies: a cut secret and a secret written as HTML character references are redacted", () => {
  const key = "sk-cut-secret-0123456789";
  const cut = redactedErrorBody(`${".".repeat(MAX_ERROR_BODY_BYTES - 10)}${key} after`, [key]);
  assert.equal(cut.truncated, true);
  assert.equal(cut.body, `${".".repeat(MAX_ERROR_BODY_BYTES - 10)}${REDACTED}`);
  const readCut = redactedErrorBody(`{"error":"${key.slice(0, 12)}`, [key], true);
  assert.deepEqual(readCut, { body: `{"error":"${REDACTED}`, truncated: true });
  const referenced = [...key].map((c) => `&#${c.charCodeAt(0)};`).join("");
  const page = redactedErrorBody(`<html><body>bad key &#x73;${key.slice(1)} or ${referenced}</body></html>`, [
    key,
  ]);
  assert.equal(page.body, `<html><body>bad key ${REDACTED} or ${REDACTED}</body></html>`);
  const plain = "<html><body>a &amp; b</body></html>";
  assert.equal(redactedErrorBody(plain, [key]).body, plain, "references are kept when they hide nothing");
  assert.deepEqual(redactedErrorBody('{"error":{"message":"bad sk-cut-secret-0123456789"}}', [key]).body, {
    error: { message: `bad ${REDACTED}` },
  });
});
