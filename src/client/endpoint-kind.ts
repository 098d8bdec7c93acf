// The one predicate of P2.4: what kind of service an endpoint is. Every rule that depends on the
// kind (the extra-parameters header, stream_options, the token scope) asks here.

/** The kinds of endpoint the client knows (P2.4). */
export type EndpointKind =
  "model-inference" | "azure-openai" | "github-models" | "openai" | "openai-compatible";

/**
 * The kind of `endpoint`: Azure OpenAI when the host ends in `.openai.azure.com` or the path has
 * `/openai/`; GitHub Models for `models.github.ai` and `models.inference.ai.azure.com`; OpenAI for
 * `api.openai.com`; otherwise Model Inference, or a generic OpenAI-compatible server when
 * `apiVersion` is `null`.
 */
export function endpointKind(endpoint: URL, apiVersion: string | null): EndpointKind {
  const host = endpoint.hostname.toLowerCase();
  if (host.endsWith(".openai.azure.com") || `${endpoint.pathname}/`.toLowerCase().includes("/openai/")) {
    return "azure-openai";
  }
  if (host === "models.github.ai" || host === "models.inference.ai.azure.com") return "github-models";
  if (host === "api.openai.com") return "openai";
  return apiVersion === null ? "openai-compatible" : "model-inference";
}

/** Whether the kind speaks OpenAI's own schema, where `extra-parameters` means nothing (P1.5). */
export function isOpenAiSchema(kind: EndpointKind): boolean {
  return kind === "azure-openai" || kind === "openai";
}

const COGNITIVE_SERVICES_HOSTS = ["openai.azure.com", "services.ai.azure.com", "cognitiveservices.azure.com"];

/** The token scope for an endpoint when `credentialScopes` is not set (P2.3). */
export function defaultCredentialScope(endpoint: URL): string {
  const host = endpoint.hostname.toLowerCase();
  return COGNITIVE_SERVICES_HOSTS.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))
    ? "https://cognitiveservices.azure.com/.default"
    : "https://ml.azure.com/.default";
}

/** Whether the host is this machine (where plain http may carry a token, P2.3). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "::1" ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(host)
  );
}
