import type { CoreV1Api } from '@kubernetes/client-node';

/** Deletes at once (grace 0) and waits until the API no longer lists the pod. */
export async function deletePod(api: CoreV1Api, namespace: string, name: string, graceSeconds = 0): Promise<void> {
  try {
    await api.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: graceSeconds });
  } catch (err) {
    if ((err as { code?: number }).code === 404) return;
  }
  if (graceSeconds > 0) return;
  for (let i = 0; i < 100; i++) {
    try {
      await api.readNamespacedPod({ name, namespace });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
