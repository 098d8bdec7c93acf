// A typical ChatCompletions response as quality.md Q4's model rows describe it: one choice, two
// tool calls whose arguments are JSON text, usage with details, Azure's filter results, and
// non-ASCII text (about 1.5 KB). Built from the shape of the recorded Azure OpenAI responses.
export const typicalCompletion = {
  id: "chatcmpl-AbCdEfGhIjKlMnOpQrStUvWxYz012",
  object: "chat.completion",
  created: 1_732_000_000,
  model: "gpt-4o-2024-08-06",
  prompt_filter_results: [
    {
      prompt_index: 0,
      content_filter_results: {
        hate: { filtered: false, severity: "safe" },
        jailbreak: { filtered: false, detected: false },
        self_harm: { filtered: false, severity: "safe" },
        sexual: { filtered: false, severity: "safe" },
        violence: { filtered: false, severity: "safe" },
      },
    },
  ],
  choices: [
    {
      index: 0,
      finish_reason: "tool_calls",
      logprobs: null,
      message: {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [
          {
            id: "call_8fJ2kLmN0pQrStUvWxYz1234",
            type: "function",
            function: { name: "get_weather", arguments: '{"location":"Zürich, Schweiz","unit":"celsius"}' },
          },
          {
            id: "call_9aB3cDeF4gHiJkLmNoPq5678",
            type: "function",
            function: { name: "get_time", arguments: '{"timezone":"Europe/Zurich","format":"24h — 日本語"}' },
          },
        ],
      },
      content_filter_results: {
        hate: { filtered: false, severity: "safe" },
        protected_material_code: { filtered: false, detected: false },
        protected_material_text: { filtered: false, detected: false },
        self_harm: { filtered: false, severity: "safe" },
        sexual: { filtered: false, severity: "safe" },
        violence: { filtered: false, severity: "safe" },
      },
    },
  ],
  usage: {
    completion_tokens: 52,
    prompt_tokens: 187,
    total_tokens: 239,
    completion_tokens_details: { audio_tokens: 0, reasoning_tokens: 0, accepted_prediction_tokens: 0 },
    prompt_tokens_details: { audio_tokens: 0, cached_tokens: 0 },
  },
  system_fingerprint: "fp_45c6de4934",
};

export const typicalCompletionText = JSON.stringify(typicalCompletion);
