import { GraphQLResolveInfo } from 'graphql';
import { Context } from '../loaders';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type AccessDecision = {
  __typename?: 'AccessDecision';
  access: FieldAccess;
  reason: Scalars['String']['output'];
};

export type AccessLogConnection = {
  __typename?: 'AccessLogConnection';
  edges: Array<AccessLogEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type AccessLogEdge = {
  __typename?: 'AccessLogEdge';
  cursor: Scalars['String']['output'];
  node: AccessLogEntry;
};

export type AccessLogEntry = {
  __typename?: 'AccessLogEntry';
  at: Scalars['String']['output'];
  department: Maybe<Scalars['String']['output']>;
  detail: Maybe<Scalars['String']['output']>;
  /** sha256 of the normalised operation document */
  documentHash: Maybe<Scalars['String']['output']>;
  /** Fields served, e.g. Resident.idNumber (masked) */
  fields: Array<Scalars['String']['output']>;
  householdIds: Array<Scalars['ID']['output']>;
  jurisdiction: Maybe<Scalars['String']['output']>;
  /** READ, MUTATION or POLICY_CHANGE */
  kind: Scalars['String']['output'];
  operationName: Maybe<Scalars['String']['output']>;
  purpose: Maybe<Scalars['String']['output']>;
  residentIds: Array<Scalars['ID']['output']>;
  roles: Array<Scalars['String']['output']>;
  seq: Scalars['Int']['output'];
  username: Scalars['String']['output'];
  /** Fields the policies withheld */
  withheld: Array<Scalars['String']['output']>;
};

export type AccessPolicy = {
  __typename?: 'AccessPolicy';
  /** What this version changed from the one before. */
  change: PolicyChange;
  department: Department;
  /** Fields whose unmasked reading needs a stated purpose, whatever the role. */
  purposeRequiredFor: Array<Scalars['String']['output']>;
  roles: Array<RoleAccess>;
  /** The fields (Type.field) a row condition of this department's policy can name. */
  rowConditionFields: Array<Scalars['String']['output']>;
  updatedAt: Scalars['String']['output'];
  updatedBy: Scalars['String']['output'];
  version: Scalars['Int']['output'];
};

export type AuditChainReport = {
  __typename?: 'AuditChainReport';
  /** Entries checked in this call. */
  checked: Scalars['Int']['output'];
  /** Whether this call reached the chain's current end. */
  complete: Scalars['Boolean']['output'];
  /** Pass as `after` to continue from here (also once complete: to check only what is appended later). Null after a break. */
  continueAfter: Maybe<Scalars['String']['output']>;
  firstBrokenAt: Maybe<Scalars['String']['output']>;
  /** The last entry this call verified. */
  lastCheckedSeq: Maybe<Scalars['Int']['output']>;
  /** True only when every entry from the chain's start to its current end verified (in this call or the signed ranges before). */
  ok: Scalars['Boolean']['output'];
};

export type AuditPurgeReport = {
  __typename?: 'AuditPurgeReport';
  purged: Scalars['Int']['output'];
  purgedThroughSeq: Maybe<Scalars['Int']['output']>;
  retentionDays: Scalars['Int']['output'];
};

export type Department =
  | 'CIVIL_AFFAIRS'
  | 'COURT'
  | 'MEDIATION'
  | 'PARTY_BUILDING'
  | 'POLICE'
  | 'REGISTRY';

export type FieldAccess =
  | 'ALLOW'
  | 'DENY'
  | 'MASK';

export type FieldRule = {
  __typename?: 'FieldRule';
  access: FieldAccess;
  /** Type.field, Type.* or * */
  key: Scalars['String']['output'];
};

export type JurisdictionScope =
  | 'BANNER'
  | 'GRID'
  | 'NONE'
  | 'TOKEN'
  | 'TOWN'
  | 'VILLAGE';

export type Mutation = {
  __typename?: 'Mutation';
  /** Removes access-log entries older than the retention period (default 3 years), leaving a signed checkpoint. platform-admin only. */
  purgeExpiredAccessLog: AuditPurgeReport;
  /** Makes an earlier version current again, as a new version. */
  rollbackAccessPolicy: AccessPolicy;
  setFieldAccess: AccessPolicy;
  /** Whether reading a field unmasked needs a stated purpose (X-Access-Purpose), whatever the role. */
  setFieldPurposeRequired: AccessPolicy;
  /** Which records a role sees: own grid, village, town, the token's jurisdiction, the banner, or none. */
  setJurisdictionScope: AccessPolicy;
  /** Grants or withdraws a mutation of the department to a role. */
  setMutationAccess: AccessPolicy;
  /** Whether a role must state a purpose (X-Access-Purpose) to read the department's data. */
  setPurposeRequired: AccessPolicy;
  /**
   * Which rows of a type a role sees, besides its jurisdiction: the field must equal one of `values`.
   * An empty list removes the condition on that field. Only the fields in `rowConditionFields` can
   * carry one. The department's admins and platform-admin.
   */
  setRowCondition: AccessPolicy;
};


export type MutationRollbackAccessPolicyArgs = {
  department: Department;
  version: Scalars['Int']['input'];
};


export type MutationSetFieldAccessArgs = {
  access: FieldAccess;
  department: Department;
  field: Scalars['String']['input'];
  role: Scalars['String']['input'];
  type: Scalars['String']['input'];
};


export type MutationSetFieldPurposeRequiredArgs = {
  department: Department;
  field: Scalars['String']['input'];
  required: Scalars['Boolean']['input'];
  type: Scalars['String']['input'];
};


export type MutationSetJurisdictionScopeArgs = {
  department: Department;
  role: Scalars['String']['input'];
  scope: JurisdictionScope;
};


export type MutationSetMutationAccessArgs = {
  allowed: Scalars['Boolean']['input'];
  department: Department;
  mutation: Scalars['String']['input'];
  role: Scalars['String']['input'];
};


export type MutationSetPurposeRequiredArgs = {
  department: Department;
  required: Scalars['Boolean']['input'];
  role: Scalars['String']['input'];
};


export type MutationSetRowConditionArgs = {
  department: Department;
  field: Scalars['String']['input'];
  role: Scalars['String']['input'];
  type: Scalars['String']['input'];
  values: Array<Scalars['String']['input']>;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type PolicyChange = {
  __typename?: 'PolicyChange';
  diff: Array<PolicyDiffEntry>;
  kind: Scalars['String']['output'];
  summary: Scalars['String']['output'];
};

export type PolicyDiffEntry = {
  __typename?: 'PolicyDiffEntry';
  from: Maybe<Scalars['String']['output']>;
  path: Scalars['String']['output'];
  to: Maybe<Scalars['String']['output']>;
};

/**
 * Access administration: each department's versioned policy (who may read which of its fields,
 * call which of its mutations, in which jurisdiction). A department's admins manage their own
 * department's policy only; platform-admin manages all. Every change is a new version.
 */
export type Query = {
  __typename?: 'Query';
  /** Who read this resident's data, when and why (auditor only), oldest first. */
  accessLog: AccessLogConnection;
  /** What a user read in a period (auditor only). from/to: ISO 8601 date-times. */
  accessLogByUser: AccessLogConnection;
  /** The current policy of a department. Its admins, platform-admin and auditors. */
  accessPolicy: AccessPolicy;
  /** Earlier versions, newest first. */
  accessPolicyHistory: Array<AccessPolicy>;
  /** What a role gets for a field of a department's data, and which rule decided. */
  explainAccess: AccessDecision;
  /**
   * Checks the access log's hash chain from its start (or the last signed purge checkpoint), in
   * ranges: at most `first` entries (default 20,000, at most 100,000) and about 3 seconds per call.
   * When the range ends before the chain does, `complete` is false and `continueAfter` is passed as
   * `after` to continue; `ok` is true only once the whole chain verified. Auditor only.
   */
  verifyAuditChain: AuditChainReport;
};


/**
 * Access administration: each department's versioned policy (who may read which of its fields,
 * call which of its mutations, in which jurisdiction). A department's admins manage their own
 * department's policy only; platform-admin manages all. Every change is a new version.
 */
export type QueryAccessLogArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  residentId: Scalars['ID']['input'];
};


/**
 * Access administration: each department's versioned policy (who may read which of its fields,
 * call which of its mutations, in which jurisdiction). A department's admins manage their own
 * department's policy only; platform-admin manages all. Every change is a new version.
 */
export type QueryAccessLogByUserArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['String']['input']>;
  username: Scalars['String']['input'];
};


/**
 * Access administration: each department's versioned policy (who may read which of its fields,
 * call which of its mutations, in which jurisdiction). A department's admins manage their own
 * department's policy only; platform-admin manages all. Every change is a new version.
 */
export type QueryAccessPolicyArgs = {
  department: Department;
};


/**
 * Access administration: each department's versioned policy (who may read which of its fields,
 * call which of its mutations, in which jurisdiction). A department's admins manage their own
 * department's policy only; platform-admin manages all. Every change is a new version.
 */
export type QueryAccessPolicyHistoryArgs = {
  department: Department;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * Access administration: each department's versioned policy (who may read which of its fields,
 * call which of its mutations, in which jurisdiction). A department's admins manage their own
 * department's policy only; platform-admin manages all. Every change is a new version.
 */
export type QueryExplainAccessArgs = {
  department: Department;
  field: Scalars['String']['input'];
  role: Scalars['String']['input'];
  type: Scalars['String']['input'];
};


/**
 * Access administration: each department's versioned policy (who may read which of its fields,
 * call which of its mutations, in which jurisdiction). A department's admins manage their own
 * department's policy only; platform-admin manages all. Every change is a new version.
 */
export type QueryVerifyAuditChainArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RoleAccess = {
  __typename?: 'RoleAccess';
  fieldRules: Array<FieldRule>;
  mutations: Array<Scalars['String']['output']>;
  purposeRequired: Scalars['Boolean']['output'];
  /** A realm role, or * for every authenticated caller. */
  role: Scalars['String']['output'];
  rowConditions: Array<RowCondition>;
  scope: Maybe<JurisdictionScope>;
};

export type RowCondition = {
  __typename?: 'RowCondition';
  /** The value the field must equal; with several values, they joined by commas (any of them). */
  equals: Scalars['String']['output'];
  field: Scalars['String']['output'];
  type: Scalars['String']['output'];
  /** The values the field may equal (any of them). */
  values: Array<Scalars['String']['output']>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AccessDecision: ResolverTypeWrapper<AccessDecision>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AccessLogConnection: ResolverTypeWrapper<AccessLogConnection>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  AccessLogEdge: ResolverTypeWrapper<AccessLogEdge>;
  AccessLogEntry: ResolverTypeWrapper<AccessLogEntry>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AccessPolicy: ResolverTypeWrapper<AccessPolicy>;
  AuditChainReport: ResolverTypeWrapper<AuditChainReport>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  AuditPurgeReport: ResolverTypeWrapper<AuditPurgeReport>;
  Department: Department;
  FieldAccess: FieldAccess;
  FieldRule: ResolverTypeWrapper<FieldRule>;
  JurisdictionScope: JurisdictionScope;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PolicyChange: ResolverTypeWrapper<PolicyChange>;
  PolicyDiffEntry: ResolverTypeWrapper<PolicyDiffEntry>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RoleAccess: ResolverTypeWrapper<RoleAccess>;
  RowCondition: ResolverTypeWrapper<RowCondition>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AccessDecision: AccessDecision;
  String: Scalars['String']['output'];
  AccessLogConnection: AccessLogConnection;
  Int: Scalars['Int']['output'];
  AccessLogEdge: AccessLogEdge;
  AccessLogEntry: AccessLogEntry;
  ID: Scalars['ID']['output'];
  AccessPolicy: AccessPolicy;
  AuditChainReport: AuditChainReport;
  Boolean: Scalars['Boolean']['output'];
  AuditPurgeReport: AuditPurgeReport;
  FieldRule: FieldRule;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  PolicyChange: PolicyChange;
  PolicyDiffEntry: PolicyDiffEntry;
  Query: Record<PropertyKey, never>;
  RoleAccess: RoleAccess;
  RowCondition: RowCondition;
}>;

export type AccessDecisionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AccessDecision'] = ResolversParentTypes['AccessDecision']> = ResolversObject<{
  access?: Resolver<ResolversTypes['FieldAccess'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type AccessLogConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AccessLogConnection'] = ResolversParentTypes['AccessLogConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['AccessLogEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type AccessLogEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AccessLogEdge'] = ResolversParentTypes['AccessLogEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['AccessLogEntry'], ParentType, ContextType>;
}>;

export type AccessLogEntryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AccessLogEntry'] = ResolversParentTypes['AccessLogEntry']> = ResolversObject<{
  at?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  department?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  detail?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  documentHash?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  fields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  householdIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  jurisdiction?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  operationName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  purpose?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  residentIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  roles?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  username?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  withheld?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AccessPolicyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AccessPolicy'] = ResolversParentTypes['AccessPolicy']> = ResolversObject<{
  change?: Resolver<ResolversTypes['PolicyChange'], ParentType, ContextType>;
  department?: Resolver<ResolversTypes['Department'], ParentType, ContextType>;
  purposeRequiredFor?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  roles?: Resolver<Array<ResolversTypes['RoleAccess']>, ParentType, ContextType>;
  rowConditionFields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type AuditChainReportResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuditChainReport'] = ResolversParentTypes['AuditChainReport']> = ResolversObject<{
  checked?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  complete?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  continueAfter?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstBrokenAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastCheckedSeq?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type AuditPurgeReportResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuditPurgeReport'] = ResolversParentTypes['AuditPurgeReport']> = ResolversObject<{
  purged?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  purgedThroughSeq?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  retentionDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type FieldRuleResolvers<ContextType = Context, ParentType extends ResolversParentTypes['FieldRule'] = ResolversParentTypes['FieldRule']> = ResolversObject<{
  access?: Resolver<ResolversTypes['FieldAccess'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  purgeExpiredAccessLog?: Resolver<ResolversTypes['AuditPurgeReport'], ParentType, ContextType>;
  rollbackAccessPolicy?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationRollbackAccessPolicyArgs, 'department' | 'version'>>;
  setFieldAccess?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationSetFieldAccessArgs, 'access' | 'department' | 'field' | 'role' | 'type'>>;
  setFieldPurposeRequired?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationSetFieldPurposeRequiredArgs, 'department' | 'field' | 'required' | 'type'>>;
  setJurisdictionScope?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationSetJurisdictionScopeArgs, 'department' | 'role' | 'scope'>>;
  setMutationAccess?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationSetMutationAccessArgs, 'allowed' | 'department' | 'mutation' | 'role'>>;
  setPurposeRequired?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationSetPurposeRequiredArgs, 'department' | 'required' | 'role'>>;
  setRowCondition?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationSetRowConditionArgs, 'department' | 'field' | 'role' | 'type' | 'values'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type PolicyChangeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PolicyChange'] = ResolversParentTypes['PolicyChange']> = ResolversObject<{
  diff?: Resolver<Array<ResolversTypes['PolicyDiffEntry']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  summary?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PolicyDiffEntryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PolicyDiffEntry'] = ResolversParentTypes['PolicyDiffEntry']> = ResolversObject<{
  from?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  path?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  to?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  accessLog?: Resolver<ResolversTypes['AccessLogConnection'], ParentType, ContextType, RequireFields<QueryAccessLogArgs, 'first' | 'residentId'>>;
  accessLogByUser?: Resolver<ResolversTypes['AccessLogConnection'], ParentType, ContextType, RequireFields<QueryAccessLogByUserArgs, 'first' | 'username'>>;
  accessPolicy?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<QueryAccessPolicyArgs, 'department'>>;
  accessPolicyHistory?: Resolver<Array<ResolversTypes['AccessPolicy']>, ParentType, ContextType, RequireFields<QueryAccessPolicyHistoryArgs, 'department' | 'first'>>;
  explainAccess?: Resolver<ResolversTypes['AccessDecision'], ParentType, ContextType, RequireFields<QueryExplainAccessArgs, 'department' | 'field' | 'role' | 'type'>>;
  verifyAuditChain?: Resolver<ResolversTypes['AuditChainReport'], ParentType, ContextType, Partial<QueryVerifyAuditChainArgs>>;
}>;

export type RoleAccessResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RoleAccess'] = ResolversParentTypes['RoleAccess']> = ResolversObject<{
  fieldRules?: Resolver<Array<ResolversTypes['FieldRule']>, ParentType, ContextType>;
  mutations?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  purposeRequired?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rowConditions?: Resolver<Array<ResolversTypes['RowCondition']>, ParentType, ContextType>;
  scope?: Resolver<Maybe<ResolversTypes['JurisdictionScope']>, ParentType, ContextType>;
}>;

export type RowConditionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RowCondition'] = ResolversParentTypes['RowCondition']> = ResolversObject<{
  equals?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  values?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  AccessDecision?: AccessDecisionResolvers<ContextType>;
  AccessLogConnection?: AccessLogConnectionResolvers<ContextType>;
  AccessLogEdge?: AccessLogEdgeResolvers<ContextType>;
  AccessLogEntry?: AccessLogEntryResolvers<ContextType>;
  AccessPolicy?: AccessPolicyResolvers<ContextType>;
  AuditChainReport?: AuditChainReportResolvers<ContextType>;
  AuditPurgeReport?: AuditPurgeReportResolvers<ContextType>;
  FieldRule?: FieldRuleResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PolicyChange?: PolicyChangeResolvers<ContextType>;
  PolicyDiffEntry?: PolicyDiffEntryResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RoleAccess?: RoleAccessResolvers<ContextType>;
  RowCondition?: RowConditionResolvers<ContextType>;
}>;

