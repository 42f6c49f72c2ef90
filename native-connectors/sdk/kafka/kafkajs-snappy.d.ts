declare module 'kafkajs-snappy' {
  /** A kafkajs codec factory (Snappy via snappyjs; reads xerial-framed data from Java producers too). */
  const snappyCodec: () => { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
  export default snappyCodec;
}
