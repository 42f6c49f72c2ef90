import { describe, expect, it } from 'vitest';
import { topicName } from '../../native-connectors/destination-kafka/topic-name.js';

// The cases of the official connector's KafkaRecordConsumerTest (namespace "public", stream "id_and_name").
describe('topicName, as the official destination-kafka names topics', () => {
  it.each([
    ['test.topic', 'test_topic'],
    ['test-topic', 'test_topic'],
    ['{namespace}', 'public'],
    ['{stream}', 'id_and_name'],
    ['{namespace}.{stream}.test.topic', 'public_id_and_name_test_topic'],
    ['{namespace}-{stream}-test.topic', 'public_id_and_name_test_topic'],
    ['topic with spaces', 'topic_with_spaces'],
  ])('%s → %s', (pattern, expected) => {
    expect(topicName(pattern, 'id_and_name', 'public')).toBe(expected);
  });

  it('drops accents and treats a missing namespace as empty', () => {
    expect(topicName('{namespace}.{stream}', 'café crème', undefined)).toBe('_cafe_creme');
  });
});
