/**
 * The official OSS connector registry, the one the Airbyte platform (Community edition) and
 * PyAirbyte read. Override with AIRDOCK_REGISTRY or --registry (a URL or a file).
 */
export const DEFAULT_REGISTRY_URL = 'https://connectors.airbyte.com/files/registries/v0/oss_registry.json';
