// Issue 13, SO16: the incremental partial-JSON reader behind partialObjects().
import { test } from "node:test";
import assert from "node:assert/strict";
import { PartialJson } from "../../../src/helpers/structured-outputs/partial-json.js";

function readAll(text: string, step = 1): unknown[] {
  const json = new PartialJson();
  const values: unknown[] = [];
  for (let i = 0; i < text.length; i += step) {
    json.push(text.slice(i, i + step));
    values.push(json.value());
  }
  return values;
}

test("#13 SO16 partial values: strings as far as they go, members once their value starts, numbers and literals once whole", () => {
  const text = '{"name":"Eif\\u00e9l","n":330,"ok":true,"list":[1,{"a":null}],"s":"x\\"y"}';
  const values = readAll(text).map((value) => JSON.stringify(value));
  for (const expected of [
    "{}",
    '{"name":""}',
    '{"name":"Eif"}',
    '{"name":"Eifé"}',
    '{"name":"Eifél","n":330}',
    '{"name":"Eifél","n":330,"ok":true}',
    '{"name":"Eifél","n":330,"ok":true,"list":[1]}',
    '{"name":"Eifél","n":330,"ok":true,"list":[1,{}]}',
    '{"name":"Eifél","n":330,"ok":true,"list":[1,{"a":null}]}',
    '{"name":"Eifél","n":330,"ok":true,"list":[1,{"a":null}],"s":"x\\"y"}',
  ]) {
    assert.ok(values.includes(expected), `missing ${expected}`);
  }
  for (const value of values) {
    assert.ok(value === undefined || !/"n":(3|33)[,}]/.test(value), `a partial number: ${value}`);
    assert.ok(value === undefined || !value.includes("\\u"), "no unfinished escape");
  }
  assert.deepEqual(readAll(text).at(-1), JSON.parse(text));
});

test("#13 SO16 any split gives the same final value, and whitespace anywhere is fine", () => {
  const text = ' { "a" : [ 1 , 2.5e3 , -0 ] , "b" : { } , "c" : [ ] , "d" : "\\n" } ';
  for (const step of [1, 2, 3, 7, text.length])
    assert.deepEqual(readAll(text, step).at(-1), JSON.parse(text));
  assert.deepEqual(readAll('"a str').at(-1), "a str");
  assert.deepEqual(readAll("[true, fal").at(-1), [true]);
});

test("#13 SO16 text that cannot be JSON stops the partial values (the final parse says why); deep nesting is bounded by JSON.parse", () => {
  for (const bad of [
    "Sorry, I cannot",
    '{"a" 1}',
    '{"a":tru3}',
    "[1,,2]",
    '{"a":1}}',
    '{"a":"\\x"}',
    "[01]",
  ]) {
    const json = new PartialJson();
    json.push(bad);
    assert.equal(json.valid, false, bad);
    assert.equal(json.value(), undefined, bad);
  }
  const deep = new PartialJson();
  deep.push("[".repeat(100_000));
  assert.equal((deep.completed() ?? "").length, 200_000);
});
