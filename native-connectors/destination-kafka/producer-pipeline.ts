import type { Message, Producer, TopicMessages } from 'kafkajs';
import { KafkaMessageTooLargeError } from '../../protocol/index.js';
import { toKafkaError } from '../sdk/kafka/index.js';
import type { ProducerSettings } from './destination-kafka-config.js';

/**
 * Batches messages into kafkajs sends the way the Java producer batches records: a send starts when
 * `batchBytes` wait or the oldest waiting message is `lingerMs` old, at most `maxInFlight` sends are
 * unacknowledged at once, and while they are, messages keep gathering (up to `maxRequestBytes` per
 * send), so a busy pipeline sends large requests. `drain()` resolves when every message handed in so
 * far is acknowledged by the broker (the write barrier's commit); a failed send fails the next
 * `add` or `drain`.
 */
export class ProducerPipeline {
  #waiting = new Map<string, Message[]>();
  #waitingBytes = 0;
  #firstWaitingAt = 0;
  readonly #inFlight = new Set<Promise<void>>();
  #inFlightBytes = 0;
  #failure: { error: unknown } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reject!: (error: unknown) => void;
  /** Rejects at the first failed send. */
  readonly failed = new Promise<never>((_, reject) => { this.#reject = reject; });
  sent = 0;

  constructor(private readonly producer: Producer, private readonly s: ProducerSettings) {
    this.failed.catch(() => {});
  }

  /** Queues one message; returns a promise only when the caller must wait (buffer full, sync mode). */
  add(topic: string, message: Message, bytes: number): Promise<void> | undefined {
    this.#throwIfFailed();
    if (bytes > this.s.maxRequestBytes) {
      throw new KafkaMessageTooLargeError('A record is larger than max_request_size', { context: { topic, bytes, maxRequestSize: this.s.maxRequestBytes } });
    }
    if (this.#waitingBytes + bytes > this.s.maxRequestBytes) {
      // this send is full: start it, or wait for a free slot and try again
      if (this.#inFlight.size < this.s.maxInFlight) this.#startSend();
      else return this.#waitForOne().then(() => this.add(topic, message, bytes));
    }
    let list = this.#waiting.get(topic);
    if (!list) this.#waiting.set(topic, (list = []));
    list.push(message);
    if (this.#waitingBytes === 0) this.#firstWaitingAt = Date.now();
    this.#waitingBytes += bytes;
    // sync_producer: the official connector flushes after every record
    if (this.s.sync) return this.drain();
    if (this.#waitingBytes >= this.s.batchBytes && this.#inFlight.size < this.s.maxInFlight) this.#startSend();
    else this.#armLinger();
    if (this.#waitingBytes + this.#inFlightBytes >= this.s.bufferBytes) return this.#waitForOne();
    return undefined;
  }

  /** Sends what waits and resolves when every message so far is acknowledged. */
  async drain(): Promise<void> {
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = undefined; }
    while (this.#waitingBytes > 0 || this.#inFlight.size > 0) {
      if (this.#waitingBytes > 0 && this.#inFlight.size < this.s.maxInFlight) this.#startSend();
      else await this.#waitForOne();
    }
    this.#throwIfFailed();
  }

  /** Stops the linger timer (after a failure nothing more is sent). */
  close(): void {
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = undefined; }
  }

  #armLinger(): void {
    if (this.#timer || this.#waitingBytes === 0) return;
    const due = Math.max(0, this.#firstWaitingAt + this.s.lingerMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#waitingBytes === 0) return;
      if (this.#inFlight.size < this.s.maxInFlight) this.#startSend();
      // no slot: the next completed send picks the waiting messages up
    }, due);
  }

  async #waitForOne(): Promise<void> {
    if (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
    this.#throwIfFailed();
  }

  #startSend(): void {
    if (this.#waitingBytes === 0) return;
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = undefined; }
    const topicMessages: TopicMessages[] = [...this.#waiting].map(([topic, messages]) => ({ topic, messages }));
    const bytes = this.#waitingBytes;
    const count = topicMessages.reduce((n, t) => n + t.messages.length, 0);
    this.#waiting = new Map();
    this.#waitingBytes = 0;
    this.#inFlightBytes += bytes;
    const send: Promise<void> = this.producer
      .sendBatch({ topicMessages, acks: this.s.acks, compression: this.s.compression, timeout: this.s.requestTimeoutMs })
      .then(() => { this.sent += count; }, (error: unknown) => {
        if (this.#failure) return;
        this.#failure = { error: toKafkaError(error, 'producing', { topics: topicMessages.map((t) => t.topic).join(',') }) };
        this.#reject(this.#failure.error);
      })
      .finally(() => {
        this.#inFlight.delete(send);
        this.#inFlightBytes -= bytes;
        if (this.#failure) return;
        // messages that gathered while every slot was busy go out now
        if (this.#waitingBytes >= this.s.batchBytes || (this.#waitingBytes > 0 && Date.now() - this.#firstWaitingAt >= this.s.lingerMs)) this.#startSend();
        else this.#armLinger();
      });
    this.#inFlight.add(send);
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }
}
