/** The protocol definitions validated at run time; protocol/generated/validators.ts exports one validator each. */
export const PROTOCOL_VALIDATORS = [
  'AirbyteMessage', 'ConfiguredAirbyteCatalog', 'AirbyteCatalog', 'ConnectorSpecification', 'AirbyteStateMessage',
] as const;

export type ProtocolDefinition = (typeof PROTOCOL_VALIDATORS)[number];
