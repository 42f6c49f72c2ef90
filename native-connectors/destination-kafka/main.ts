import { installKafkajsFastPath } from '../sdk/kafka/install-kafkajs-fast-path.js';

// before kafkajs loads: the fast path replaces some of its modules, and kafkajs captures them as it loads
installKafkajsFastPath();
const { runCli } = await import('../sdk/index.js');
const { destinationKafka } = await import('./destination-kafka.js');

runCli(destinationKafka);
