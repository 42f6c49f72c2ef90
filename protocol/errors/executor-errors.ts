import { AirdockError } from './airdock-error.js';
import { ConfigError } from './config-errors.js';

/**
 * Getting a connector ready to run without Docker: a Python interpreter, a venv with the connector's
 * PyPI package, the declarative runner and its manifest.
 */
export abstract class ExecutorError extends AirdockError {
  readonly family = 'backend' as const;
}

/** The connector exists but not on the executor asked for (`--executor python` for a Java connector). */
export class ExecutorUnavailableError extends ConfigError {
  readonly code = 'AIRDOCK_EXECUTOR_UNAVAILABLE';
  protected override defaultHint() { return 'Run `airdock catalog show <name>` to see the executors it has'; }
}

export class PythonNotFoundError extends ExecutorError {
  readonly code = 'AIRDOCK_PYTHON_NOT_FOUND';
  readonly failureType = 'system_error' as const;
  readonly retryable = false;
  protected override defaultHint() {
    return 'Install Python 3.10 or newer (python3 on PATH) or uv, or set AIRDOCK_PYTHON to an interpreter; or run the image with --executor image';
  }
}

export class PythonTooOldError extends ExecutorError {
  readonly code = 'AIRDOCK_PYTHON_TOO_OLD';
  readonly failureType = 'system_error' as const;
  readonly retryable = false;
  protected override defaultHint() {
    return `Install Python ${String(this.context.required)} or newer and put it first on PATH, or set AIRDOCK_PYTHON to it`;
  }
}

/** The package index has no such package, or no version of it that fits (version, Python version). */
export class PackageNotFoundError extends ExecutorError {
  readonly code = 'AIRDOCK_PACKAGE_NOT_FOUND';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() {
    return 'Check the name and --version (`airdock catalog show <name>` gives both), and that the package index is reachable';
  }
}

/** Creating the venv or installing into it failed; nothing was kept. `detail` holds the installer's last lines. */
export class InstallFailedError extends ExecutorError {
  readonly code = 'AIRDOCK_INSTALL_FAILED';
  readonly failureType = 'system_error' as const;
  readonly retryable = true;
  protected override defaultHint() { return 'Read the installer output above (AIRDOCK_LOG_LEVEL=debug shows all of it), fix the cause and run again'; }
}

/** `airdock uninstall` names a connector that is not installed (or not at that version). */
export class NotInstalledError extends ConfigError {
  readonly code = 'AIRDOCK_NOT_INSTALLED';
  protected override defaultHint() { return 'Run `airdock installed` to see what is installed'; }
}

/** A declarative manifest could not be fetched (and none is cached), or is not a manifest. */
export class ManifestUnavailableError extends ExecutorError {
  readonly code = 'AIRDOCK_MANIFEST_UNAVAILABLE';
  readonly failureType = 'system_error' as const;
  readonly retryable = true;
  protected override defaultHint() {
    return 'Check the network (or AIRDOCK_METADATA_URL); once fetched, a manifest is cached and works offline';
  }
}
