const groups = new Set<string>();
const PREFETCH = Symbol('airdock.prefetch');

interface Request { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }
interface Prefetched { requests: Request[]; batches: any[] }

/** Lets the consumers of this group fetch ahead (see installPrefetchingFetch). */
export function prefetchFetchesOf(groupId: string): void {
  groups.add(groupId);
}

/** Whether `requests` is exactly what kafkajs' own fetch would request now. */
function matches(group: any, nodeId: number, requests: Request[]): boolean {
  if (group.seekOffset.size > 0) return false;
  const committed = group.offsetManager.committedOffsets();
  const active = group.getActiveTopicPartitions();
  const wanted = new Map<string, string>();
  for (const { topic, partitions } of group.filterPartitionsByNode(nodeId, group.subscriptionState.assigned())) {
    for (const p of partitions) {
      if (committed[topic]?.[p] != null && active[topic]?.has(p)) wanted.set(`${topic}|${p}`, group.offsetManager.nextOffset(topic, p).toString());
    }
  }
  let n = 0;
  for (const r of requests) {
    for (const p of r.partitions) {
      n++;
      if (wanted.get(`${r.topic}|${p.partition}`) !== p.fetchOffset) return false;
    }
  }
  return n === wanted.size;
}

/**
 * Makes kafkajs' consumer fetch ahead, as the Java consumer does: kafkajs fetches, waits until its
 * batches are processed, then fetches again, so the broker's time per fetch adds to ours (a third of
 * the source's wall time idle in profiles). Here, as a fetch's batches are handed over, the next fetch
 * already goes out from the offsets after them. It is used only if it is exactly the fetch kafkajs would
 * make when its turn comes (the same partitions, each from the offset the consumer then resolved to, no
 * seek pending); otherwise it is dropped and kafkajs fetches as usual. Only for groups named by
 * `prefetchFetchesOf`; errors of a fetch ahead are left to the usual fetch to meet and handle.
 */
export function installPrefetchingFetch(ConsumerGroup: any, Batch: any): void {
  const original = ConsumerGroup.prototype.fetch;
  ConsumerGroup.prototype.fetch = async function fetch(this: any, nodeId: number): Promise<any[]> {
    if (!groups.has(this.groupId)) return original.call(this, nodeId);
    const ahead: Map<number, Promise<Prefetched | undefined>> = (this[PREFETCH] ??= new Map());
    const pending = ahead.get(nodeId);
    ahead.delete(nodeId);
    let batches: any[] | undefined;
    if (pending) {
      const got = await pending;
      if (got && matches(this, nodeId, got.requests)) batches = got.batches;
    }
    batches ??= (await original.call(this, nodeId)) as any[];
    const requests = nextRequests(this, batches);
    if (requests.length > 0) ahead.set(nodeId, fetchAhead(this, nodeId, requests, Batch));
    return batches;
  };
}

function nextRequests(group: any, batches: any[]): Request[] {
  const byTopic = new Map<string, Request>();
  let anything = false;
  for (const b of batches) {
    const empty = b.isEmptyIncludingFiltered();
    anything ||= !empty;
    const fetchOffset = empty ? String(b.fetchedOffset) : String(BigInt(b.lastOffset()) + 1n);
    let r = byTopic.get(b.topic);
    if (!r) byTopic.set(b.topic, (r = { topic: b.topic, partitions: [] }));
    r.partitions.push({ partition: b.partition, fetchOffset, maxBytes: group.maxBytesPerPartition });
  }
  // at the end of every partition the usual fetch (a long poll) is as good
  return anything ? [...byTopic.values()] : [];
}

async function fetchAhead(group: any, nodeId: number, requests: Request[], Batch: any): Promise<Prefetched | undefined> {
  try {
    const broker = await group.cluster.findBroker({ nodeId });
    const { responses } = await broker.fetch({
      maxWaitTime: group.maxWaitTime, minBytes: group.minBytes, maxBytes: group.maxBytes,
      isolationLevel: group.isolationLevel, topics: requests, rackId: group.rackId,
    });
    const offsets = new Map(requests.flatMap((r) => r.partitions.map((p) => [`${r.topic}|${p.partition}`, p.fetchOffset] as const)));
    const batches = responses.flatMap(({ topicName, partitions }: { topicName: string; partitions: { partition: number }[] }) =>
      partitions.map((data) => new Batch(topicName, offsets.get(`${topicName}|${data.partition}`), data)));
    return { requests, batches };
  } catch {
    return undefined;
  }
}
