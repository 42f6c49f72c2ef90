import { AirdockError } from './airdock-error.js';

/** Starting or talking to the thing that runs connectors (Docker, a local process) failed. */
export abstract class BackendError extends AirdockError {
  readonly family = 'backend' as const;
  readonly failureType = 'system_error' as const;
}

export class DockerUnavailableError extends BackendError {
  readonly code = 'AIRDOCK_DOCKER_UNAVAILABLE';
  readonly retryable = false;
  protected override defaultHint() { return 'Start the Docker daemon (or set DOCKER_HOST), or use a native connector'; }
}

export class ImageNotFoundError extends BackendError {
  readonly code = 'AIRDOCK_IMAGE_NOT_FOUND';
  readonly retryable = false;
  protected override defaultHint() { return 'Build or load the image locally, or allow pulling with --pull missing'; }
}

export class ImagePullError extends BackendError {
  readonly code = 'AIRDOCK_IMAGE_PULL';
  readonly retryable = true;
  protected override defaultHint() { return 'Check the image name and that its registry is reachable'; }
}

export class ContainerStartError extends BackendError {
  readonly code = 'AIRDOCK_CONTAINER_START';
  readonly retryable = true;
}

export class ProcessStartError extends BackendError {
  readonly code = 'AIRDOCK_PROCESS_START';
  readonly retryable = false;
  protected override defaultHint() { return 'Check that the executable exists and is executable'; }
}
