// Multi-Region keys as data: which key of a set of related keys is the primary, which keys belong
// to the set, and the MultiRegionConfiguration AWS shows for each of them. No I/O here.
//
// A set of related multi-Region keys shares one key id and one account, one key per Region. Every
// key of the set records the Region of the primary (`primaryRegion`); the key in that Region is the
// primary, the others are its replicas.

import { keyArn } from './arn.js';
import type { KeyRecord } from './key.js';

export type MultiRegionKeyType = 'PRIMARY' | 'REPLICA';

export interface MultiRegionKeyRef {
  readonly Arn: string;
  readonly Region: string;
}

export interface MultiRegionConfiguration {
  readonly MultiRegionKeyType: MultiRegionKeyType;
  readonly PrimaryKey: MultiRegionKeyRef;
  readonly ReplicaKeys: MultiRegionKeyRef[];
}

/** The Region of the set's primary key. Keys stored before primaryRegion existed are primaries. */
export function primaryRegionOf(key: KeyRecord): string {
  return key.primaryRegion ?? key.region;
}

export function isPrimaryKey(key: KeyRecord): boolean {
  return key.multiRegion && primaryRegionOf(key) === key.region;
}

export function isReplicaKey(key: KeyRecord): boolean {
  return key.multiRegion && primaryRegionOf(key) !== key.region;
}

/**
 * The keys of `candidates` (store.listRelatedKeys: same account and key id, any Region) that form
 * one set with `key`: multi-Region keys naming the same primary Region. `key` itself is included
 * in its stored form when present in `candidates`.
 */
export function relatedSet(key: KeyRecord, candidates: readonly KeyRecord[]): KeyRecord[] {
  const primaryRegion = primaryRegionOf(key);
  return candidates.filter(
    (k) => k.multiRegion && k.accountId === key.accountId && k.keyId === key.keyId && primaryRegionOf(k) === primaryRegion,
  );
}

/** The replicas of a set (every key but the primary), oldest first. */
export function replicasOf(set: readonly KeyRecord[]): KeyRecord[] {
  return set.filter(isReplicaKey).sort((a, b) => a.createdAt - b.createdAt || a.region.localeCompare(b.region));
}

export function primaryOf(set: readonly KeyRecord[]): KeyRecord | undefined {
  return set.find(isPrimaryKey);
}

/**
 * AWS: "MultiRegionKeyType indicates whether the KMS key is a PRIMARY or REPLICA key. PrimaryKey
 * displays the key ARN and Region of the primary key. This field displays the current KMS key if
 * it is the primary key. ReplicaKeys displays the key ARNs and Regions of all replica keys. This
 * field includes the current KMS key if it is a replica key."
 * `set` is the key's related set (relatedSet); `key` itself counts as a member whether or not it
 * is in `set` (CreateKey and ReplicateKey describe a key before anything else is read).
 */
export function multiRegionConfiguration(key: KeyRecord, set: readonly KeyRecord[]): MultiRegionConfiguration {
  const primaryRegion = primaryRegionOf(key);
  const members = [...set.filter((k) => k.region !== key.region), key];
  return {
    MultiRegionKeyType: primaryRegion === key.region ? 'PRIMARY' : 'REPLICA',
    PrimaryKey: { Arn: keyArn({ accountId: key.accountId, region: primaryRegion }, key.keyId), Region: primaryRegion },
    ReplicaKeys: replicasOf(members).map((k) => ({ Arn: k.arn, Region: k.region })),
  };
}
