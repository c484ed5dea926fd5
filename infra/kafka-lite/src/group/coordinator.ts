// Group coordinator: the classic eager rebalance protocol as kafkajs (and every
// classic consumer) uses it.
//
//   Empty --join--> PreparingRebalance --all members joined or rebalance timeout-->
//   CompletingRebalance --leader's SyncGroup--> Stable --join/leave/expiry--> Preparing...
//
// During PreparingRebalance, joins are parked until every known member has rejoined
// (or the rebalance timeout evicts the stragglers); then the generation is bumped, a
// leader is chosen and receives all members' metadata, and everyone gets a JoinGroup
// answer. The leader computes the assignment and sends it in SyncGroup, which releases
// the parked SyncGroups of the other members. Members whose session times out without a
// heartbeat are evicted, which starts a new rebalance.

import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/errors';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/join-group.v0-5';
import type { SyncGroupRequest, SyncGroupResponse } from '../protocol/sync-group.v0-3';
import type { DescribedGroup } from '../protocol/describe-groups.v0-4';
import { createGroup, type Group, type Member } from './group';

export interface ClientInfo {
  clientId: string;
  clientHost: string;
  version: number;
}

export interface GroupCoordinator {
  join(req: JoinGroupRequest, client: ClientInfo): Promise<JoinGroupResponse>;
  sync(req: SyncGroupRequest): Promise<SyncGroupResponse>;
  heartbeat(groupId: string, generationId: number, memberId: string): number;
  leave(groupId: string, memberIds: string[]): { memberId: string; errorCode: number }[];
  /** Error code for an offset commit from this member/generation (NONE if allowed). */
  checkCommit(groupId: string, generationId: number, memberId: string): number;
  describe(groupId: string): DescribedGroup;
  list(): { groupId: string; protocolType: string }[];
  close(): void;
}

export interface CoordinatorOptions {
  /** Delay before the first generation of an empty group forms, so joiners batch up. */
  initialRebalanceDelayMs: number;
}

const joinError = (errorCode: number, memberId = ''): JoinGroupResponse => ({
  errorCode,
  generationId: -1,
  protocolName: '',
  leader: '',
  memberId,
  members: [],
});

export function createCoordinator(opts: CoordinatorOptions): GroupCoordinator {
  const groups = new Map<string, Group>();

  const onSessionExpired = (group: Group, member: Member): void => {
    group.removeMember(member.memberId);
    afterMembershipChange(group);
  };

  const afterMembershipChange = (group: Group): void => {
    if (group.members.size === 0) {
      group.becomeEmpty();
      return;
    }
    if (group.state !== 'PreparingRebalance') group.prepareRebalance(0);
    group.maybeCompleteJoin();
  };

  const getGroup = (id: string): Group => {
    let g = groups.get(id);
    if (!g) {
      g = createGroup(id, onSessionExpired);
      groups.set(id, g);
    }
    return g;
  };

  return {
    join(req, client) {
      if (!req.groupId) return Promise.resolve(joinError(ErrorCode.INVALID_GROUP_ID));
      if (req.sessionTimeoutMs <= 0 || req.sessionTimeoutMs > 30 * 60_000) {
        return Promise.resolve(joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId));
      }
      const group = getGroup(req.groupId);
      if (
        !group.acceptsProtocols(
          req.protocolType,
          req.protocols.map((p) => p.name),
        )
      ) {
        return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
      }
      let memberId = req.memberId;
      if (memberId === '') {
        memberId = `${client.clientId || 'member'}-${randomUUID()}`;
        if (client.version >= 4) {
          // KIP-394: hand out the id first; the member must come back with it.
          group.addPendingMember(memberId, req.sessionTimeoutMs);
          return Promise.resolve(joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId));
        }
      } else if (!group.members.has(memberId) && !group.isPendingMember(memberId)) {
        return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
      }
      const wasEmpty = group.members.size === 0;
      const joined = group.upsertMember(memberId, req, client);
      if (group.state !== 'PreparingRebalance') {
        group.prepareRebalance(wasEmpty ? opts.initialRebalanceDelayMs : 0);
      }
      group.maybeCompleteJoin();
      return joined;
    },

    sync(req) {
      const group = groups.get(req.groupId);
      const member = group?.members.get(req.memberId);
      const fail = (errorCode: number): Promise<SyncGroupResponse> =>
        Promise.resolve({ errorCode, assignment: Buffer.alloc(0) });
      if (!group || !member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      if (req.generationId !== group.generation) return fail(ErrorCode.ILLEGAL_GENERATION);
      if (group.state === 'PreparingRebalance') return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      group.touch(member);
      if (group.state === 'Stable')
        return Promise.resolve({ errorCode: 0, assignment: member.assignment });
      const parked = group.awaitAssignment(member);
      if (member.memberId === group.leader) group.completeSync(req.assignments);
      return parked;
    },

    heartbeat(groupId, generationId, memberId) {
      const group = groups.get(groupId);
      const member = group?.members.get(memberId);
      if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (generationId !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
      group.touch(member);
      return group.state === 'PreparingRebalance'
        ? ErrorCode.REBALANCE_IN_PROGRESS
        : ErrorCode.NONE;
    },

    leave(groupId, memberIds) {
      const group = groups.get(groupId);
      const results = memberIds.map((memberId) => {
        if (!group?.members.has(memberId))
          return { memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
        group.removeMember(memberId);
        return { memberId, errorCode: ErrorCode.NONE };
      });
      if (group && results.some((r) => r.errorCode === ErrorCode.NONE))
        afterMembershipChange(group);
      return results;
    },

    checkCommit(groupId, generationId, memberId) {
      const group = groups.get(groupId);
      // Simple (non-member) commits, e.g. from an admin client, need an empty group.
      if (generationId < 0 && memberId === '') {
        return !group || group.members.size === 0 ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
      }
      const member = group?.members.get(memberId);
      if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (generationId !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
      // Like Kafka, commits stay allowed while preparing a rebalance so members can
      // commit what they processed before they rejoin.
      if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
      group.touch(member);
      return ErrorCode.NONE;
    },

    describe(groupId) {
      const group = groups.get(groupId);
      if (!group) {
        return {
          errorCode: 0,
          groupId,
          state: 'Dead',
          protocolType: '',
          protocolData: '',
          members: [],
        };
      }
      return group.describe();
    },

    list() {
      return [...groups.values()].map((g) => ({
        groupId: g.id,
        protocolType: g.protocolType ?? '',
      }));
    },

    close() {
      for (const g of groups.values()) g.shutdown();
      groups.clear();
    },
  };
}
