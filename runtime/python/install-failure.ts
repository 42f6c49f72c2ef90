import { InstallFailedError, PackageNotFoundError } from '../../protocol/index.js';
import type { ToolResult } from './run-tool.js';

const NOT_FOUND = [
  /No matching distribution found/i, /Could not find a version that satisfies/i, // pip
  /not found in the package registry/i, /there is no version of/i, /No solution found when resolving/i, // uv
];
const WRONG_PYTHON = /require[sd]? a different python|Requires-Python|only .* is available and you require|python_version/i;
const NO_ENSUREPIP = /ensurepip is not available|No module named ensurepip|python3(\.\d+)?-venv/i;

/**
 * What a failed pip/uv step means to the user: a package (or version) the index does not have, a
 * Python that cannot create venvs, or anything else with the installer's last lines as `detail`.
 */
export function installFailure(r: ToolResult, ctx: { step: 'venv' | 'install'; installer: string; requirement?: string; python?: string }): InstallFailedError | PackageNotFoundError {
  const text = r.tail.join('\n');
  const detail = r.tail.slice(-6).join(' | ');
  if (ctx.step === 'install' && NOT_FOUND.some((re) => re.test(text))) {
    const wrongPython = WRONG_PYTHON.test(text);
    return new PackageNotFoundError('The package index has no such package or version', {
      context: { requirement: ctx.requirement, installer: ctx.installer, ...(wrongPython ? { reason: 'needs another Python version' } : {}) },
      ...(wrongPython ? { hint: 'That version needs another Python version: set AIRDOCK_PYTHON to a Python it supports, or pick another --version' } : {}),
    });
  }
  if (ctx.step === 'venv' && NO_ENSUREPIP.test(text)) {
    return new InstallFailedError('This Python cannot create virtual environments', {
      context: { python: ctx.python, installer: ctx.installer, detail },
      hint: 'Install the venv module (Debian/Ubuntu: apt install python3-venv) or install uv',
    });
  }
  return new InstallFailedError(ctx.step === 'venv' ? 'Creating the Python virtual environment failed' : 'Installing the Python package failed', {
    context: { ...(ctx.requirement ? { requirement: ctx.requirement } : {}), installer: ctx.installer, exitCode: r.code, detail },
  });
}
