import { AssignerProtocol, type GroupMember, type PartitionAssigner } from 'kafkajs';

/** The protocol name members announce; a group uses it once every member offers it. */
export const CO_PARTITIONED_ASSIGNER = 'HeraldCoPartitioned';
const VERSION = 1;

interface Member {
  memberId: string;
  instance: string;
}

/** The process a member belongs to, from the userData its `protocol()` sent (its memberId for a member without one). */
function memberInstance(member: GroupMember): Member {
  const metadata = member.memberMetadata.length ? AssignerProtocol.MemberMetadata.decode(member.memberMetadata) : null;
  const instance = metadata?.userData?.length ? metadata.userData.toString('utf8') : member.memberId;
  return { memberId: member.memberId, instance };
}

/**
 * Partition n of every topic goes to the same process, in every group that uses this assigner:
 * members are ordered by their process's instance id (the same in each of its groups), and
 * partition n goes to member n mod count. Topics keyed alike (a webhook's deliveries and its retry
 * tiers) then have one owner per key across groups, as long as each process is in each group.
 */
export function coPartitionedAssigner(instanceId: string): PartitionAssigner {
  return ({ cluster }) => ({
    name: CO_PARTITIONED_ASSIGNER,
    version: VERSION,
    async assign({ members, topics }) {
      const ordered = members
        .map(memberInstance)
        .sort((a, b) => a.instance.localeCompare(b.instance) || a.memberId.localeCompare(b.memberId));
      const assignment = new Map<string, Record<string, number[]>>(ordered.map((m) => [m.memberId, {}]));
      for (const topic of topics) {
        const partitions = cluster
          .findTopicPartitionMetadata(topic)
          .map((p) => p.partitionId)
          .sort((a, b) => a - b);
        for (const partition of partitions) {
          const owner = assignment.get(ordered[partition % ordered.length].memberId)!;
          (owner[topic] ??= []).push(partition);
        }
      }
      return [...assignment].map(([memberId, topicPartitions]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: VERSION,
          assignment: topicPartitions,
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name: CO_PARTITIONED_ASSIGNER,
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: VERSION,
          topics,
          userData: Buffer.from(instanceId, 'utf8'),
        }),
      };
    },
  });
}
