// What the `/info` route says about the deployed model (M8).
import { type Attributes, Model } from "./model.js";
import { defineModel, field } from "./define-model.js";
import type { ModelType } from "./enums.js";

/** The model behind an endpoint. Services add keys such as `served_model_name`; they are kept. */
export class ModelInfo extends Model {
  declare modelName: string;
  declare modelType: ModelType;
  declare modelProviderName: string;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    modelName: field.value(),
    modelType: field.value(),
    modelProviderName: field.value(),
  }));
  constructor(attributes?: Attributes<ModelInfo>) {
    super(attributes);
  }
}
