import kafkajs, { type PartitionAssigner } from 'kafkajs';
import type { TopicSelection } from './topic-selection.js';

const { AssignerProtocol } = kafkajs;

/**
 * A group assigner that gives every member exactly the partitions this read needs. kafkajs has no
 * `assign()` without a group, so both subscription modes join the group and this assigner does what
 * Java's assign()/subscribe() would: a bounded read needs all of its partitions, not a share of them.
 * Its own protocol name makes a foreign consumer in the same group fail to join instead of silently
 * taking partitions away.
 */
export function fixedAssigner(selection: TopicSelection): PartitionAssigner {
  const assignment = Object.fromEntries(selection);
  return () => ({
    name: 'AirdockBoundedRead',
    version: 1,
    async assign({ members }) {
      return members.map((m) => ({ memberId: m.memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData: Buffer.alloc(0) }) }));
    },
    protocol({ topics }) {
      return { name: 'AirdockBoundedRead', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) };
    },
  });
}
