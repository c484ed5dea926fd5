// Consumer group requests: membership goes to the coordinator, committed offsets to
// the offsets store (an OffsetCommit is answered after its fsync).

import type { BrokerCore, Handler } from '../core';
import { ErrorCode } from '../protocol/errors';
import type { DescribedGroup } from '../protocol/describe-groups.v0-4';
import type { HeartbeatRequest } from '../protocol/heartbeat.v0-3';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/join-group.v0-5';
import type { LeaveGroupRequest, LeaveGroupResponse } from '../protocol/leave-group.v0-3';
import type { ListGroupsResponse } from '../protocol/list-groups.v0-2';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../protocol/offset-commit.v0-7';
import type { OffsetFetchRequest, OffsetFetchResponse } from '../protocol/offset-fetch.v0-5';
import type { SyncGroupRequest, SyncGroupResponse } from '../protocol/sync-group.v0-3';

export const joinGroupHandler =
  (core: BrokerCore): Handler<JoinGroupRequest, JoinGroupResponse> =>
  (req, ctx) =>
    core.coordinator.join(req, ctx);

export const syncGroupHandler =
  (core: BrokerCore): Handler<SyncGroupRequest, SyncGroupResponse> =>
  (req) =>
    core.coordinator.sync(req);

export const heartbeatHandler =
  (core: BrokerCore): Handler<HeartbeatRequest, { errorCode: number }> =>
  (req) => ({ errorCode: core.coordinator.heartbeat(req.groupId, req.generationId, req.memberId) });

export const leaveGroupHandler =
  (core: BrokerCore): Handler<LeaveGroupRequest, LeaveGroupResponse> =>
  (req) => {
    const members = core.coordinator.leave(req.groupId, req.memberIds);
    const failed = members.find((m) => m.errorCode !== ErrorCode.NONE);
    return {
      errorCode: failed && members.length === 1 ? failed.errorCode : ErrorCode.NONE,
      members,
    };
  };

export function offsetCommitHandler(
  core: BrokerCore,
): Handler<OffsetCommitRequest, OffsetCommitResponse> {
  return async (req) => {
    const check = core.coordinator.checkCommit(req.groupId, req.generationId, req.memberId);
    const entries: { topic: string; partition: number; offset: number; metadata: string | null }[] =
      [];
    const topics = req.topics.map((t) => {
      const topic = core.topics.get(t.name);
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          let errorCode: number = check;
          if (errorCode === ErrorCode.NONE && !topic?.partitions[p.partitionIndex]) {
            errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          }
          if (errorCode === ErrorCode.NONE) {
            entries.push({
              topic: t.name,
              partition: p.partitionIndex,
              offset: p.committedOffset,
              metadata: p.metadata,
            });
          }
          return { partitionIndex: p.partitionIndex, errorCode };
        }),
      };
    });
    if (entries.length > 0) await core.offsets.commit(req.groupId, entries);
    return { topics };
  };
}

export function offsetFetchHandler(
  core: BrokerCore,
): Handler<OffsetFetchRequest, OffsetFetchResponse> {
  return (req) => {
    const wanted =
      req.topics ??
      [...core.offsets.listForGroup(req.groupId)].map(([name, partitionIndexes]) => ({
        name,
        partitionIndexes,
      }));
    return {
      errorCode: ErrorCode.NONE,
      topics: wanted.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) => {
          const committed = core.offsets.get(req.groupId, t.name, p);
          return {
            partitionIndex: p,
            committedOffset: committed?.offset ?? -1,
            metadata: committed?.metadata ?? '',
            errorCode: ErrorCode.NONE,
          };
        }),
      })),
    };
  };
}

export const describeGroupsHandler =
  (core: BrokerCore): Handler<{ groups: string[] }, { groups: DescribedGroup[] }> =>
  (req) => ({
    groups: req.groups.map((g) => {
      const described = core.coordinator.describe(g);
      // Like Kafka: a group with committed offsets but no members is Empty, not Dead.
      const hasOffsets = described.state === 'Dead' && core.offsets.listForGroup(g).size > 0;
      return hasOffsets ? { ...described, state: 'Empty' } : described;
    }),
  });

export const listGroupsHandler =
  (core: BrokerCore): Handler<Record<string, never>, ListGroupsResponse> =>
  () => {
    const groups = new Map(core.coordinator.list().map((g) => [g.groupId, g.protocolType]));
    // Groups with committed offsets but no live members still exist for admin tools.
    for (const g of core.offsets.groups()) if (!groups.has(g)) groups.set(g, '');
    return {
      errorCode: ErrorCode.NONE,
      groups: [...groups].map(([groupId, protocolType]) => ({ groupId, protocolType })),
    };
  };
