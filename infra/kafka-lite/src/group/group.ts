// State of one consumer group, driven by the coordinator. Holds the members, their
// parked JoinGroup/SyncGroup answers, and the session and rebalance timers.

import { ErrorCode } from '../protocol/errors';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/join-group.v0-5';
import type { SyncGroupResponse } from '../protocol/sync-group.v0-3';
import type { DescribedGroup } from '../protocol/describe-groups.v0-4';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

export interface Member {
  memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Buffer }[];
  assignment: Buffer;
  joinWaiter: ((res: JoinGroupResponse) => void) | null;
  syncWaiter: ((res: SyncGroupResponse) => void) | null;
  sessionTimer: NodeJS.Timeout | null;
}

export interface Group {
  readonly id: string;
  state: GroupState;
  generation: number;
  protocolType: string | null;
  protocol: string | null;
  leader: string | null;
  members: Map<string, Member>;
  acceptsProtocols(protocolType: string, names: string[]): boolean;
  addPendingMember(memberId: string, timeoutMs: number): void;
  isPendingMember(memberId: string): boolean;
  upsertMember(
    memberId: string,
    req: JoinGroupRequest,
    client: { clientId: string; clientHost: string },
  ): Promise<JoinGroupResponse>;
  removeMember(memberId: string): void;
  touch(member: Member): void;
  prepareRebalance(initialDelayMs: number): void;
  maybeCompleteJoin(): void;
  awaitAssignment(member: Member): Promise<SyncGroupResponse>;
  completeSync(assignments: { memberId: string; assignment: Buffer }[]): void;
  becomeEmpty(): void;
  describe(): DescribedGroup;
  shutdown(): void;
}

const EMPTY = Buffer.alloc(0);

export function createGroup(id: string, onExpired: (g: Group, m: Member) => void): Group {
  const pending = new Map<string, NodeJS.Timeout>();
  let rebalanceTimer: NodeJS.Timeout | null = null;
  let delayUntil = 0;

  const stopSession = (m: Member): void => {
    if (m.sessionTimer) clearTimeout(m.sessionTimer);
    m.sessionTimer = null;
  };
  const failParked = (m: Member, errorCode: number): void => {
    m.joinWaiter?.({
      errorCode,
      generationId: -1,
      protocolName: '',
      leader: '',
      memberId: m.memberId,
      members: [],
    });
    m.syncWaiter?.({ errorCode, assignment: EMPTY });
    m.joinWaiter = null;
    m.syncWaiter = null;
  };
  const clearRebalanceTimer = (): void => {
    if (rebalanceTimer) clearTimeout(rebalanceTimer);
    rebalanceTimer = null;
  };

  const completeJoin = (): void => {
    clearRebalanceTimer();
    for (const m of [...g.members.values()]) {
      // Members that did not rejoin within the rebalance timeout are out.
      if (!m.joinWaiter) g.removeMember(m.memberId);
    }
    if (g.members.size === 0) {
      g.becomeEmpty();
      return;
    }
    g.generation++;
    const members = [...g.members.values()];
    if (!g.leader || !g.members.has(g.leader)) g.leader = members[0].memberId;
    const leader = g.members.get(g.leader) as Member;
    g.protocol =
      leader.protocols.find((p) => members.every((m) => m.protocols.some((q) => q.name === p.name)))
        ?.name ?? leader.protocols[0].name;
    g.state = 'CompletingRebalance';
    const metadataOf = (m: Member): Buffer =>
      m.protocols.find((p) => p.name === g.protocol)?.metadata ?? EMPTY;
    for (const m of members) {
      const waiter = m.joinWaiter as (res: JoinGroupResponse) => void;
      m.joinWaiter = null;
      g.touch(m);
      waiter({
        errorCode: ErrorCode.NONE,
        generationId: g.generation,
        protocolName: g.protocol,
        leader: g.leader,
        memberId: m.memberId,
        members:
          m.memberId === g.leader
            ? members.map((x) => ({
                memberId: x.memberId,
                groupInstanceId: null,
                metadata: metadataOf(x),
              }))
            : [],
      });
    }
  };

  const g: Group = {
    id,
    state: 'Empty',
    generation: 0,
    protocolType: null,
    protocol: null,
    leader: null,
    members: new Map(),
    acceptsProtocols(protocolType, names) {
      if (names.length === 0) return false;
      if (g.members.size === 0) return true;
      if (protocolType !== g.protocolType) return false;
      return [...g.members.values()].every((m) => m.protocols.some((p) => names.includes(p.name)));
    },
    addPendingMember(memberId, timeoutMs) {
      pending.set(
        memberId,
        setTimeout(() => pending.delete(memberId), timeoutMs),
      );
    },
    isPendingMember: (memberId) => pending.has(memberId),
    upsertMember(memberId, req, client) {
      const timer = pending.get(memberId);
      if (timer) clearTimeout(timer);
      pending.delete(memberId);
      let m = g.members.get(memberId);
      if (!m) {
        m = {
          memberId,
          clientId: client.clientId,
          clientHost: client.clientHost,
          sessionTimeoutMs: req.sessionTimeoutMs,
          rebalanceTimeoutMs: req.rebalanceTimeoutMs,
          protocols: req.protocols,
          assignment: EMPTY,
          joinWaiter: null,
          syncWaiter: null,
          sessionTimer: null,
        };
        g.members.set(memberId, m);
      }
      m.sessionTimeoutMs = req.sessionTimeoutMs;
      m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
      m.protocols = req.protocols;
      g.protocolType = req.protocolType;
      // A duplicate join replaces the earlier parked one.
      failParked(m, ErrorCode.REBALANCE_IN_PROGRESS);
      // While parked in a join the member cannot heartbeat; the rebalance timeout governs.
      stopSession(m);
      const member = m;
      return new Promise((resolve) => {
        member.joinWaiter = resolve;
      });
    },
    removeMember(memberId) {
      const m = g.members.get(memberId);
      if (!m) return;
      stopSession(m);
      failParked(m, ErrorCode.UNKNOWN_MEMBER_ID);
      g.members.delete(memberId);
      if (g.leader === memberId) g.leader = null;
    },
    touch(m) {
      stopSession(m);
      m.sessionTimer = setTimeout(() => onExpired(g, m), m.sessionTimeoutMs);
    },
    prepareRebalance(initialDelayMs) {
      g.state = 'PreparingRebalance';
      for (const m of g.members.values()) {
        if (m.syncWaiter) {
          m.syncWaiter({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
          m.syncWaiter = null;
        }
      }
      clearRebalanceTimer();
      const timeout = Math.max(0, ...[...g.members.values()].map((m) => m.rebalanceTimeoutMs));
      delayUntil = Date.now() + initialDelayMs;
      if (initialDelayMs > 0) {
        setTimeout(() => g.maybeCompleteJoin(), initialDelayMs).unref();
      }
      rebalanceTimer = setTimeout(completeJoin, Math.max(timeout, initialDelayMs));
    },
    maybeCompleteJoin() {
      if (g.state !== 'PreparingRebalance' || Date.now() < delayUntil) return;
      if ([...g.members.values()].every((m) => m.joinWaiter)) completeJoin();
    },
    awaitAssignment(member) {
      return new Promise((resolve) => {
        member.syncWaiter = resolve;
      });
    },
    completeSync(assignments) {
      for (const m of g.members.values()) {
        m.assignment = assignments.find((a) => a.memberId === m.memberId)?.assignment ?? EMPTY;
      }
      g.state = 'Stable';
      for (const m of g.members.values()) {
        m.syncWaiter?.({ errorCode: ErrorCode.NONE, assignment: m.assignment });
        m.syncWaiter = null;
      }
    },
    becomeEmpty() {
      clearRebalanceTimer();
      g.state = 'Empty';
      g.leader = null;
      g.protocol = null;
    },
    describe() {
      const stable = g.state === 'Stable';
      return {
        errorCode: ErrorCode.NONE,
        groupId: id,
        state: g.state,
        protocolType: g.protocolType ?? '',
        protocolData: stable ? (g.protocol ?? '') : '',
        members: [...g.members.values()].map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          metadata: m.protocols.find((p) => p.name === g.protocol)?.metadata ?? EMPTY,
          assignment: stable ? m.assignment : EMPTY,
        })),
      };
    },
    shutdown() {
      clearRebalanceTimer();
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
      for (const m of g.members.values()) {
        stopSession(m);
        failParked(m, ErrorCode.COORDINATOR_NOT_AVAILABLE);
      }
      g.members.clear();
    },
  };
  return g;
}
