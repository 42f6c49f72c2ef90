/**
 * How to start the connector in its image. Like the platform: when the image sets AIRBYTE_ENTRYPOINT,
 * run it through `sh -c` (the image's ENTRYPOINT/CMD is ignored); otherwise the image's own ENTRYPOINT
 * with our argv as CMD. `exec` makes the connector the shell's replacement, so our SIGTERM reaches it.
 */
export function containerCommand(imageEnv: readonly string[] | undefined, argv: readonly string[]): { Entrypoint?: string[]; Cmd: string[] } {
  const entry = imageEnv?.find((e) => e.startsWith('AIRBYTE_ENTRYPOINT='))?.slice('AIRBYTE_ENTRYPOINT='.length).trim();
  if (entry) return { Entrypoint: ['/bin/sh', '-c', 'eval "exec $AIRBYTE_ENTRYPOINT \\"\\$@\\""', 'airbyte-connector'], Cmd: [...argv] };
  return { Cmd: [...argv] };
}
