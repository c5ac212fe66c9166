// Every key of a service carries the same hash tag, so the multi-key scripts stay in one Redis Cluster slot.
export function createKeys(prefix: string) {
  const of = (service: string) => `${prefix}:{svc:${service}}`;
  return {
    promotionService: (id: string) => `${prefix}:promotion-service:${id}`,
    /** Every service that ever had keys here, in the pipeline now or not: what retention goes through. */
    services: `${prefix}:services`,
    /** Where the one-time indexing of promotions that finished before retention existed has got to. */
    retentionBackfill: `${prefix}:retention-backfill`,
    /** The start of every service's keys (a SCAN pattern adds `*`; the prefix must hold no glob characters). */
    serviceKeysStart: `${prefix}:{svc:`,
    /** The members of a Slack user group as last read, shared by every process. */
    userGroupMembers: (group: string) => `${prefix}:usergroup-members:${group}`,
    promotion: (service: string, id: string) => `${of(service)}:promotion:${id}`,
    audit: (service: string, id: string) => `${of(service)}:audit:${id}`,
    /** The service's audit trail as a stream: it outlives the promotions, trimmed at AUDIT_RETENTION. */
    auditLog: (service: string) => `${of(service)}:audit-log`,
    /** Terminal promotions scored by when they finished: what retention removes, oldest first. */
    finished: (service: string) => `${of(service)}:finished`,
    /** The service's environment names as last seen: what retention keeps running once it left the pipeline. */
    environments: (service: string) => `${of(service)}:environments`,
    /** Promotions removed whose keys outside this slot (id index, Slack state) are still to delete. */
    retired: (service: string) => `${of(service)}:retired`,
    artifact: (service: string, version: string) => `${of(service)}:artifact:${version}`,
    index: (service: string) => `${of(service)}:promotions`,
    active: (service: string) => `${of(service)}:active`,
    outbox: (service: string) => `${of(service)}:outbox`,
    lock: (service: string, environment: string) => `${of(service)}:lock:${environment}`,
    queue: (service: string, environment: string) => `${of(service)}:queue:${environment}`,
    deployments: (service: string, environment: string) => `${of(service)}:deployments:${environment}`,
    holds: (service: string) => `${of(service)}:holds`,
    /** Bumped whenever a hold is placed or lifted, or a digest quarantined or cleared: what a decision commits against. */
    holdsRevision: (service: string) => `${of(service)}:holds-revision`,
    bad: (service: string) => `${of(service)}:bad`,
  };
}

export type Keys = ReturnType<typeof createKeys>;
