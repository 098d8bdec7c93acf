// Property tests (fast-check): any wire object, with any extra keys, survives fromDict then asDict
// for every model class, even after every typed getter has been read (M2.2, M1.4, Q2); and the
// mapping view's operations keep size, keys() and asDict() consistent with a reference Map (M6).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as models from "../../src/models/index.js";
import { Model } from "../../src/models/index.js";

type ModelClass = typeof Model;
const modelClasses = Object.values(models).filter(
  (value): value is ModelClass => typeof value === "function" && value.prototype instanceof Model,
);

const awkwardKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "0",
  "10",
  "",
  "é日本🙂",
);
const key = fc.oneof(fc.string(), awkwardKey);
const json = fc.jsonValue({ maxDepth: 3 });

/** A wire object for `cls`: its own fields with random JSON (often model-shaped), plus random extras. */
function wireFor(cls: ModelClass): fc.Arbitrary<Record<string, unknown>> {
  const fieldValue = fc.oneof(
    json,
    fc.dictionary(key, json, { maxKeys: 4 }),
    fc.array(fc.dictionary(key, json, { maxKeys: 3 }), { maxLength: 3 }),
  );
  const fields = Object.fromEntries(cls.fieldInfo().map((f) => [f.wire, fieldValue]));
  return fc
    .tuple(fc.record(fields, { requiredKeys: [] }), fc.array(fc.tuple(key, json), { maxLength: 5 }))
    .map(([known, extras]) => {
      const wire: Record<string, unknown> = {};
      for (const [k, v] of [...Object.entries(known), ...extras]) {
        Object.defineProperty(wire, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return wire;
    });
}

function readEveryField(model: Model): void {
  for (const f of (model.constructor as ModelClass).fieldInfo()) {
    const value = (model as unknown as Record<string, unknown>)[f.name];
    if (value instanceof Model) readEveryField(value);
    if (Array.isArray(value)) for (const item of value) if (item instanceof Model) readEveryField(item);
  }
}

test("Q2 M2.2 M1.4 random wire objects with random extra keys survive fromDict → asDict for every model class", () => {
  assert.ok(modelClasses.length >= 40, `${modelClasses.length} model classes`);
  for (const cls of modelClasses) {
    fc.assert(
      fc.property(wireFor(cls), (wire) => {
        const text = JSON.stringify(wire);
        const model = cls.fromDict(wire);
        readEveryField(model);
        assert.equal(JSON.stringify(model.asDict()), text, cls.name);
        assert.equal(JSON.stringify(wire), text, `${cls.name}: the input is untouched`);
        assert.ok(model.equals(wire));
        assert.ok(model.copy().equals(model));
        const fromJson = cls.fromJSON(text);
        readEveryField(fromJson);
        assert.equal(JSON.stringify(fromJson), text);
      }),
      { numRuns: 60 },
    );
  }
});

type Op =
  | { op: "set"; key: string; value: unknown }
  | { op: "delete" | "pop" | "setDefault"; key: string }
  | { op: "update"; pairs: [string, unknown][] }
  | { op: "popItem" | "clear" };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("set" as const), key, value: json }),
  fc.record({ op: fc.constantFrom("delete" as const, "pop" as const, "setDefault" as const), key }),
  fc.record({ op: fc.constant("update" as const), pairs: fc.array(fc.tuple(key, json), { maxLength: 3 }) }),
  fc.record({ op: fc.constantFrom("popItem" as const, "clear" as const) }),
);

test("M6 mapping-view operations keep size, keys() and asDict() consistent with a reference Map", () => {
  fc.assert(
    fc.property(wireFor(Model), fc.array(opArbitrary, { maxLength: 30 }), (wire, ops) => {
      const model = Model.fromDict(wire);
      const reference = new Map(Object.entries(wire));
      for (const step of ops) {
        switch (step.op) {
          case "set":
            model.set(step.key, step.value);
            reference.set(step.key, step.value);
            break;
          case "delete":
            assert.equal(model.delete(step.key), reference.delete(step.key));
            break;
          case "pop":
            assert.deepEqual(
              model.pop(step.key, "absent"),
              reference.has(step.key) ? reference.get(step.key) : "absent",
            );
            reference.delete(step.key);
            break;
          case "setDefault":
            if (!reference.has(step.key)) reference.set(step.key, null);
            assert.deepEqual(model.setDefault(step.key), reference.get(step.key));
            break;
          case "update":
            model.update(step.pairs);
            for (const [k, v] of step.pairs) reference.set(k, v);
            break;
          case "popItem":
            if (model.size === 0) assert.throws(() => model.popItem(), models.KeyError);
            else reference.delete(model.popItem()[0]);
            break;
          case "clear":
            model.clear();
            reference.clear();
            break;
        }
        const keys = model.keys();
        assert.equal(model.size, keys.length);
        assert.deepEqual(Object.keys(model.asDict()), keys);
        assert.deepEqual(new Set(keys), new Set(reference.keys()));
        assert.deepEqual(
          [...model].map(([k]) => k),
          keys,
        );
        for (const k of keys) assert.ok(model.has(k));
        assert.deepEqual(model.asDict(), toObject(reference));
      }
    }),
    { numRuns: 150 },
  );
});

function toObject(map: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of map)
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}
