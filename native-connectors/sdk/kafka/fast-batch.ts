// kafkajs' consumer internals are untyped: these are the fields of its Batch (consumer/batch.js).
interface Message { offset: string; isControlRecord: boolean }
interface PartitionData { partition: number; highWatermark: string; abortedTransactions?: unknown[]; messages: Message[] }
type BatchClass = new (topic: string, fetchedOffset: string, partitionData: PartitionData) => object;
type FilterAborted = (a: { messages: Message[]; abortedTransactions: unknown[] }) => Message[];

/**
 * kafkajs' Batch with the same fields and methods (its prototype), built without a 64-bit Long per
 * message: kafkajs compares every message's offset with the fetched one through Long strings, and
 * copies the message list twice even when nothing is filtered out. Offsets beyond 2^53 take kafkajs'
 * own constructor.
 */
export function fastBatch(Batch: BatchClass, filterAbortedMessages: FilterAborted): BatchClass {
  function FastBatch(this: Record<string, unknown>, topic: string, fetchedOffset: string, partitionData: PartitionData): object | void {
    const fetched = Number(fetchedOffset);
    if (!Number.isSafeInteger(fetched)) return new Batch(topic, fetchedOffset, partitionData);
    const { abortedTransactions, messages } = partitionData;
    this.fetchedOffset = fetchedOffset;
    this.topic = topic;
    this.partition = partitionData.partition;
    this.highWatermark = partitionData.highWatermark;
    this.rawMessages = messages;
    // messages come in offset order: when the first is not before the fetched offset, none is
    const within = messages.length > 0 && Number(messages[0]!.offset) < fetched ? messages.filter((m) => Number(m.offset) >= fetched) : messages;
    this.messagesWithinOffset = within;
    const visible = abortedTransactions && abortedTransactions.length > 0 ? filterAbortedMessages({ messages: within, abortedTransactions }) : within;
    this.messages = visible.some((m) => m.isControlRecord) ? visible.filter((m) => !m.isControlRecord) : visible;
  }
  FastBatch.prototype = Batch.prototype;
  return FastBatch as unknown as BatchClass;
}
