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

export type AccessPolicy = {
  __typename?: 'AccessPolicy';
  /** What this version changed from the one before. */
  change: PolicyChange;
  department: Department;
  roles: Array<RoleAccess>;
  updatedAt: Scalars['String']['output'];
  updatedBy: Scalars['String']['output'];
  version: Scalars['Int']['output'];
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
  /** Makes an earlier version current again, as a new version. */
  rollbackAccessPolicy: AccessPolicy;
  setFieldAccess: AccessPolicy;
  /** Which records a role sees: own grid, village, town, the token's jurisdiction, the banner, or none. */
  setJurisdictionScope: AccessPolicy;
  /** Grants or withdraws a mutation of the department to a role. */
  setMutationAccess: AccessPolicy;
  /** Whether a role must state a purpose (X-Access-Purpose) to read the department's data. */
  setPurposeRequired: AccessPolicy;
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
  /** The current policy of a department. Its admins, platform-admin and auditors. */
  accessPolicy: AccessPolicy;
  /** Earlier versions, newest first. */
  accessPolicyHistory: Array<AccessPolicy>;
  /** What a role gets for a field of a department's data, and which rule decided. */
  explainAccess: AccessDecision;
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
  equals: Scalars['String']['output'];
  field: Scalars['String']['output'];
  type: Scalars['String']['output'];
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
  AccessPolicy: ResolverTypeWrapper<AccessPolicy>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Department: Department;
  FieldAccess: FieldAccess;
  FieldRule: ResolverTypeWrapper<FieldRule>;
  JurisdictionScope: JurisdictionScope;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
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
  AccessPolicy: AccessPolicy;
  Int: Scalars['Int']['output'];
  FieldRule: FieldRule;
  Mutation: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
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

export type AccessPolicyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AccessPolicy'] = ResolversParentTypes['AccessPolicy']> = ResolversObject<{
  change?: Resolver<ResolversTypes['PolicyChange'], ParentType, ContextType>;
  department?: Resolver<ResolversTypes['Department'], ParentType, ContextType>;
  roles?: Resolver<Array<ResolversTypes['RoleAccess']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type FieldRuleResolvers<ContextType = Context, ParentType extends ResolversParentTypes['FieldRule'] = ResolversParentTypes['FieldRule']> = ResolversObject<{
  access?: Resolver<ResolversTypes['FieldAccess'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  rollbackAccessPolicy?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationRollbackAccessPolicyArgs, 'department' | 'version'>>;
  setFieldAccess?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationSetFieldAccessArgs, 'access' | 'department' | 'field' | 'role' | 'type'>>;
  setJurisdictionScope?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationSetJurisdictionScopeArgs, 'department' | 'role' | 'scope'>>;
  setMutationAccess?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationSetMutationAccessArgs, 'allowed' | 'department' | 'mutation' | 'role'>>;
  setPurposeRequired?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<MutationSetPurposeRequiredArgs, 'department' | 'required' | 'role'>>;
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
  accessPolicy?: Resolver<ResolversTypes['AccessPolicy'], ParentType, ContextType, RequireFields<QueryAccessPolicyArgs, 'department'>>;
  accessPolicyHistory?: Resolver<Array<ResolversTypes['AccessPolicy']>, ParentType, ContextType, RequireFields<QueryAccessPolicyHistoryArgs, 'department' | 'first'>>;
  explainAccess?: Resolver<ResolversTypes['AccessDecision'], ParentType, ContextType, RequireFields<QueryExplainAccessArgs, 'department' | 'field' | 'role' | 'type'>>;
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
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  AccessDecision?: AccessDecisionResolvers<ContextType>;
  AccessPolicy?: AccessPolicyResolvers<ContextType>;
  FieldRule?: FieldRuleResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PolicyChange?: PolicyChangeResolvers<ContextType>;
  PolicyDiffEntry?: PolicyDiffEntryResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RoleAccess?: RoleAccessResolvers<ContextType>;
  RowCondition?: RowConditionResolvers<ContextType>;
}>;

