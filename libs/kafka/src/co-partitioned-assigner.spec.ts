import { AssignerProtocol, PartitionAssigners, type Cluster, type GroupMember, type Logger } from 'kafkajs';
import { CO_PARTITIONED_ASSIGNER, coPartitionedAssigner } from './co-partitioned-assigner';

const partitionCounts: Record<string, number> = { deliveries: 3, retry1s: 3, retry5s: 3, other: 5 };
const cluster = {
  findTopicPartitionMetadata: (topic: string) =>
    Array.from({ length: partitionCounts[topic] }, (_, i) => ({ partitionId: partitionCounts[topic] - 1 - i })),
} as unknown as Cluster;
const config = { cluster, groupId: 'g', logger: {} as Logger };

/** A member as the coordinator hands it to the leader: its id and the metadata its protocol() sent. */
function member(memberId: string, instance: string, topics: string[]): GroupMember {
  return { memberId, memberMetadata: coPartitionedAssigner(instance)(config).protocol({ topics }).metadata };
}

async function assign(members: GroupMember[], topics: string[], assigner = coPartitionedAssigner('leader')) {
  const result = await assigner(config).assign({ members, topics });
  return Object.fromEntries(
    result.map(({ memberId, memberAssignment }) => [
      memberId,
      AssignerProtocol.MemberAssignment.decode(memberAssignment)!.assignment,
    ]),
  );
}

describe('coPartitionedAssigner', () => {
  it('gives partition n of every topic, in every group, to the same process', async () => {
    // Two processes (instances b and a); member ids sort the other way round in each group.
    const fresh = await assign(
      [member('z-1', 'instance-b', ['deliveries']), member('a-1', 'instance-a', ['deliveries'])],
      ['deliveries'],
    );
    const retries = await assign(
      [member('a-2', 'instance-b', ['retry1s', 'retry5s']), member('z-2', 'instance-a', ['retry1s', 'retry5s'])],
      ['retry1s', 'retry5s'],
    );
    // instance-a sorts first: partitions 0 and 2; instance-b: partition 1 — in both groups.
    expect(fresh).toEqual({ 'a-1': { deliveries: [0, 2] }, 'z-1': { deliveries: [1] } });
    expect(retries).toEqual({ 'z-2': { retry1s: [0, 2], retry5s: [0, 2] }, 'a-2': { retry1s: [1], retry5s: [1] } });
  });

  it('assigns every partition exactly once, and an empty assignment to a member beyond the partitions', async () => {
    const members = ['p', 'q', 'r', 's'].map((name) => member(`m-${name}`, name, ['deliveries', 'other']));
    const result = await assign(members, ['deliveries', 'other']);
    expect(result).toEqual({
      'm-p': { deliveries: [0], other: [0, 4] },
      'm-q': { deliveries: [1], other: [1] },
      'm-r': { deliveries: [2], other: [2] },
      'm-s': { other: [3] },
    });
    const single = await assign([members[0]], ['deliveries']);
    expect(single).toEqual({ 'm-p': { deliveries: [0, 1, 2] } });
  });

  it('orders by member id a member that sent no instance (round robin metadata)', async () => {
    const roundRobin = PartitionAssigners.roundRobin(config).protocol({ topics: ['deliveries'] }).metadata;
    const result = await assign(
      [{ memberId: 'b', memberMetadata: roundRobin }, member('c', 'a', ['deliveries'])],
      ['deliveries'],
    );
    // "a" (an instance) sorts before "b" (a member id standing in for one).
    expect(result).toEqual({ c: { deliveries: [0, 2] }, b: { deliveries: [1] } });
  });

  it('announces its own protocol name with the instance in the metadata', () => {
    const state = coPartitionedAssigner('proc-1')(config).protocol({ topics: ['deliveries'] });
    expect(state.name).toBe(CO_PARTITIONED_ASSIGNER);
    const metadata = AssignerProtocol.MemberMetadata.decode(state.metadata)!;
    expect(metadata.topics).toEqual(['deliveries']);
    expect(metadata.userData.toString()).toBe('proc-1');
  });
});
