import { isAirdockError } from '../../protocol/errors/index.js';
import type { TextDraft } from '../../runtime/assist/index.js';

/**
 * The optional model pass of `airdock config new`: only when AIRDOCK_LLM_URL is set. A failing
 * endpoint is a notice, never a failure: the offline draft stands.
 */
export async function maybeAskModel(draft: TextDraft, signal: AbortSignal, notice: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const url = env.AIRDOCK_LLM_URL?.trim();
  if (!url) return;
  const model = env.AIRDOCK_LLM_MODEL?.trim();
  if (!model) {
    notice('AIRDOCK_LLM_URL is set without AIRDOCK_LLM_MODEL: the model was not asked');
    return;
  }
  const { fillWithModel } = await import('../../runtime/assist/llm-fill.js');
  const apiKey = env.AIRDOCK_LLM_API_KEY?.trim();
  for (const side of [draft.source, draft.destination]) {
    if (!side) continue;
    try {
      const r = await fillWithModel(side, draft.description, { url, model, ...(apiKey ? { apiKey } : {}) }, signal);
      const refused = r.rejected.map((x) => `${x.path} (${x.reason})`).join(', ');
      notice(`model: ${side.technicalName}: ${r.added.length} field${r.added.length === 1 ? '' : 's'} added${r.added.length ? ` (${r.added.join(', ')})` : ''}${refused ? `; refused: ${refused}` : ''}`);
    } catch (err) {
      if (!isAirdockError(err) || err.code !== 'AIRDOCK_ASSIST_LLM') throw err;
      notice(`warning ${err.describe()}`);
      return;
    }
  }
}
