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

/** The Kubernetes API cannot be reached or refuses us (no kubeconfig, wrong cluster, no rights). */
export class KubernetesUnavailableError extends BackendError {
  readonly code = 'AIRDOCK_BACKEND_KUBERNETES_UNAVAILABLE';
  readonly retryable = false;
  protected override defaultHint() { return 'Set KUBECONFIG (or run in a cluster) and check that the namespace exists and pods may be created and attached'; }
}

/** The pod's image is not on the node and cannot be pulled (or the pull policy forbids it). */
export class PodImageError extends BackendError {
  readonly code = 'AIRDOCK_BACKEND_POD_IMAGE';
  readonly retryable = false;
  protected override defaultHint() { return 'Load the image into the cluster (docker save | ctr -n k8s.io images import -) or push it where the nodes can pull it'; }
}

/** No node can take the pod (resources, node selector, taints) within the start timeout. */
export class PodUnschedulableError extends BackendError {
  readonly code = 'AIRDOCK_BACKEND_POD_UNSCHEDULABLE';
  readonly retryable = true;
  protected override defaultHint() { return 'Lower --memory/--cpus, or check the node selector, tolerations and the cluster\'s free capacity'; }
}

/** The pod could not be created, did not start within the start timeout, or its stdio could not be attached. */
export class PodStartError extends BackendError {
  readonly code = 'AIRDOCK_BACKEND_POD_START';
  readonly retryable = true;
  protected override defaultHint() { return 'See the reason; `kubectl describe pod` shows the events of the pod'; }
}

/** `airdock images build` could not build an image (a file missing, the connector does not start). */
export class ImageBuildError extends BackendError {
  readonly code = 'AIRDOCK_IMAGE_BUILD';
  readonly retryable = false;
  protected override defaultHint() { return 'Run `npm run build`, then build again; the reason names the failing step'; }
}
