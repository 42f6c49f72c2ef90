/**
 * What integration tests need from `scripts/ci-setup.sh`: Docker, the images, PostgreSQL, the local
 * registry and the faker as a local program. Missing pieces throw (tests fail, never skip) with a
 * message saying what to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { FAKER_IMAGE, MISBEHAVE_IMAGE, REGISTRY_ADDR, REGISTRY_FAKER_IMAGE } from './images.js';

const STATE_DIR = process.env.AIRDOCK_CI_STATE ?? '/var/lib/airdock-ci';
export const SERVICES_ENV_FILE = `${STATE_DIR}/services.env`;
const SETUP_HINT = 'run `sudo bash scripts/ci-setup.sh` (or `npm test`, which runs it)';

let fileEnv: Record<string, string> | undefined;
function readEnvFile(): Record<string, string> {
  if (fileEnv) return fileEnv;
  fileEnv = {};
  if (!existsSync(SERVICES_ENV_FILE)) return fileEnv;
  for (const line of readFileSync(SERVICES_ENV_FILE, 'utf8').split('\n')) {
    if (!line.startsWith('export ')) continue;
    // `export A=1 B=2`: values written by ci-setup.sh never contain spaces or quotes
    for (const pair of line.slice('export '.length).trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) fileEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return fileEnv;
}

/** The services environment: process.env wins, the CI setup's env file fills the gaps. */
export function servicesEnv(): Record<string, string | undefined> {
  return { ...readEnvFile(), ...process.env };
}

/** One setting of the services environment, or a clear error saying how to get it. */
export function requireEnv(name: string): string {
  const value = servicesEnv()[name];
  if (!value) throw new Error(`${name} is not set and not in ${SERVICES_ENV_FILE}: ${SETUP_HINT}`);
  return value;
}

let dockerClient: Docker | undefined;
export const docker = (): Docker => (dockerClient ??= new Docker());

/** Throws when the Docker daemon does not answer, so Docker tests fail instead of skipping. */
export async function requireDocker(): Promise<Docker> {
  try {
    await docker().ping();
  } catch (err) {
    throw new Error(`Docker is required and the daemon does not answer (${(err as Error).message}): ${SETUP_HINT}`, { cause: err });
  }
  return docker();
}

/** Throws when a locally built image is missing (there is no registry to pull it from). */
export async function requireImage(tag: string): Promise<string> {
  const d = await requireDocker();
  try {
    await d.getImage(tag).inspect();
  } catch (err) {
    throw new Error(`Image ${tag} is missing: ${SETUP_HINT}`, { cause: err });
  }
  return tag;
}

export const fakerImage = (): string => servicesEnv().AIRDOCK_TEST_FAKER_IMAGE ?? FAKER_IMAGE;
export const misbehaveImage = (): string => servicesEnv().AIRDOCK_TEST_MISBEHAVE_IMAGE ?? MISBEHAVE_IMAGE;
/** The local OCI registry (host:port), e.g. for pull tests of `registryFakerImage()`. */
export const registryAddr = (): string => servicesEnv().AIRDOCK_TEST_REGISTRY ?? REGISTRY_ADDR;
export const registryFakerImage = (): string => servicesEnv().AIRDOCK_TEST_REGISTRY_FAKER_IMAGE ?? REGISTRY_FAKER_IMAGE;

/** The real faker installed on the host as a local program. */
export function fakerBin(): string {
  const bin = requireEnv('AIRDOCK_TEST_FAKER_BIN');
  if (!existsSync(bin)) throw new Error(`AIRDOCK_TEST_FAKER_BIN (${bin}) does not exist: ${SETUP_HINT}`);
  return bin;
}

/** libpq-style settings for the PostgreSQL the CI setup started. */
export function postgresEnv(): { host: string; port: number; user: string; password: string; database: string } {
  return {
    host: requireEnv('PGHOST'),
    port: Number(requireEnv('PGPORT')),
    user: requireEnv('PGUSER'),
    password: requireEnv('PGPASSWORD'),
    database: requireEnv('PGDATABASE'),
  };
}
