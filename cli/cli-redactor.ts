import { SecretRedactor } from '../runtime/log/secret-redactor.js';

/**
 * The CLI is one process running one command: the configs it loads feed this redactor, and every
 * line the CLI prints on stderr (logs, the final error line) goes through it.
 */
export const cliRedactor = new SecretRedactor();
