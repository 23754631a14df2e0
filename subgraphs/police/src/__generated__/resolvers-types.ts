import { GraphQLResolveInfo } from 'graphql';
import { HelpRequestRecord, PatrolRecord, OfficerRecord, ResidentRef, DivisionRef } from '../models';
import { Context } from '../loaders';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
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

export type Division = {
  __typename?: 'Division';
  code: Scalars['String']['output'];
};

export type FileHelpRequestInput = {
  category: HelpRequestCategory;
  description: Scalars['String']['input'];
  divisionCode: Scalars['String']['input'];
  /** Defaults to now. */
  reportedAt?: InputMaybe<Scalars['String']['input']>;
  /** The resident asking for help, if known (a registry resident id). */
  residentId?: InputMaybe<Scalars['ID']['input']>;
};

/** A resident's request for help; an entity so the department that takes it further (mediation) can link to it. */
export type HelpRequest = {
  __typename?: 'HelpRequest';
  category: Scalars['String']['output'];
  /** The account of what happened (free text; withheld from roles that only get a summary). */
  description: Maybe<Scalars['String']['output']>;
  division: Division;
  id: Scalars['ID']['output'];
  reportedAt: Scalars['String']['output'];
  resident: Maybe<Resident>;
  resolution: Maybe<Scalars['String']['output']>;
  resolvedAt: Maybe<Scalars['String']['output']>;
  status: Scalars['String']['output'];
};

export type HelpRequestCategory =
  | 'DISPUTE'
  | 'EMERGENCY'
  | 'FAMILY'
  | 'LABOUR_WAGES'
  | 'LOST_LIVESTOCK'
  | 'OTHER'
  | 'THEFT'
  | 'TRAFFIC';

export type HelpRequestConnection = {
  __typename?: 'HelpRequestConnection';
  edges: Array<HelpRequestEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type HelpRequestEdge = {
  __typename?: 'HelpRequestEdge';
  cursor: Scalars['String']['output'];
  node: HelpRequest;
};

export type HelpRequestStatus =
  | 'OPEN'
  | 'RESOLVED';

export type LocalizedName = {
  __typename?: 'LocalizedName';
  mn: Maybe<Scalars['String']['output']>;
  zh: Scalars['String']['output'];
};

export type LogPatrolInput = {
  distanceKm: Scalars['Float']['input'];
  divisionCode: Scalars['String']['input'];
  endedAt: Scalars['String']['input'];
  mobilePoliceRoom?: InputMaybe<Scalars['String']['input']>;
  officerIds: Array<Scalars['ID']['input']>;
  route: Scalars['String']['input'];
  /** ISO 8601 date-times; endedAt after startedAt. */
  startedAt: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  fileHelpRequest: HelpRequest;
  logPatrol: Patrol;
  /** Resolves an open help request; a resolved one cannot be resolved again. */
  resolveHelpRequest: HelpRequest;
};


export type MutationFileHelpRequestArgs = {
  input: FileHelpRequestInput;
};


export type MutationLogPatrolArgs = {
  input: LogPatrolInput;
};


export type MutationResolveHelpRequestArgs = {
  id: Scalars['ID']['input'];
  resolution: Scalars['String']['input'];
};

export type Officer = {
  __typename?: 'Officer';
  badgeNumber: Scalars['String']['output'];
  division: Division;
  id: Scalars['ID']['output'];
  /** ISO 639-1 codes, e.g. mn and zh for a bilingual officer. */
  languages: Array<Scalars['String']['output']>;
  name: LocalizedName;
  station: Scalars['String']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Patrol = {
  __typename?: 'Patrol';
  distanceKm: Scalars['Float']['output'];
  division: Division;
  endedAt: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  mobilePoliceRoom: Maybe<Scalars['String']['output']>;
  officers: Array<Officer>;
  route: Scalars['String']['output'];
  startedAt: Scalars['String']['output'];
};

export type PatrolConnection = {
  __typename?: 'PatrolConnection';
  edges: Array<PatrolEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type PatrolEdge = {
  __typename?: 'PatrolEdge';
  cursor: Scalars['String']['output'];
  node: Patrol;
};

export type PoliceFigures = {
  __typename?: 'PoliceFigures';
  bilingualOfficers: Scalars['Int']['output'];
  /** Public-security cameras on the video private network. */
  cameras: Scalars['Int']['output'];
  helpRequests: Scalars['Int']['output'];
  patrolKm: Scalars['Float']['output'];
  patrols: Scalars['Int']['output'];
  resolvedHelpRequests: Scalars['Int']['output'];
  /**
   * Departments sharing the video private network (视频专网) over the division: those whose grant
   * covers it or lies inside it. A grant covers its whole area, so a banner-wide grant counts for
   * every town, village and grid (a town-scoped officer asking for their town counts it); a grant
   * for one town counts for that town and the banner, not for another town. A department with
   * several grants counts once.
   */
  videoNetworkDepartments: Scalars['Int']['output'];
  volunteerPolice: Scalars['Int']['output'];
};

/**
 * Mobile policing (警务流动): patrols, help requests, volunteer police (义警), village security
 * committees and the camera network's reference data.
 */
export type Query = {
  __typename?: 'Query';
  /** Help requests reported inside a division (and the caller's jurisdiction), oldest first. */
  helpRequests: HelpRequestConnection;
  /** Officers working inside a division; filter by language to find bilingual officers. */
  officers: Array<Officer>;
  patrols: PatrolConnection;
  /** Headline figures of mobile policing inside a division (and the caller's jurisdiction); null with FORBIDDEN, never zeros, for a role the POLICE policy does not let count them. */
  policeFigures: Maybe<PoliceFigures>;
};


/**
 * Mobile policing (警务流动): patrols, help requests, volunteer police (义警), village security
 * committees and the camera network's reference data.
 */
export type QueryHelpRequestsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  divisionCode: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * Mobile policing (警务流动): patrols, help requests, volunteer police (义警), village security
 * committees and the camera network's reference data.
 */
export type QueryOfficersArgs = {
  divisionCode: Scalars['String']['input'];
  language?: InputMaybe<Scalars['String']['input']>;
};


/**
 * Mobile policing (警务流动): patrols, help requests, volunteer police (义警), village security
 * committees and the camera network's reference data.
 */
export type QueryPatrolsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  divisionCode: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * Mobile policing (警务流动): patrols, help requests, volunteer police (义警), village security
 * committees and the camera network's reference data.
 */
export type QueryPoliceFiguresArgs = {
  divisionCode: Scalars['String']['input'];
};

export type Resident = {
  __typename?: 'Resident';
  helpRequests: Array<HelpRequest>;
  id: Scalars['ID']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

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

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  HelpRequest: HelpRequest;
  Resident: Resident;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  HelpRequest:
    ( { __typename: 'HelpRequest' }
    & GraphQLRecursivePick<FederationTypes['HelpRequest'], {"id":true}> );
  Resident:
    ( { __typename: 'Resident' }
    & GraphQLRecursivePick<FederationTypes['Resident'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Division: ResolverTypeWrapper<DivisionRef>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  FileHelpRequestInput: FileHelpRequestInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  HelpRequest: ResolverTypeWrapper<HelpRequestRecord>;
  HelpRequestCategory: HelpRequestCategory;
  HelpRequestConnection: ResolverTypeWrapper<Omit<HelpRequestConnection, 'edges'> & { edges: Array<ResolversTypes['HelpRequestEdge']> }>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  HelpRequestEdge: ResolverTypeWrapper<Omit<HelpRequestEdge, 'node'> & { node: ResolversTypes['HelpRequest'] }>;
  HelpRequestStatus: HelpRequestStatus;
  LocalizedName: ResolverTypeWrapper<LocalizedName>;
  LogPatrolInput: LogPatrolInput;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Officer: ResolverTypeWrapper<OfficerRecord>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Patrol: ResolverTypeWrapper<PatrolRecord>;
  PatrolConnection: ResolverTypeWrapper<Omit<PatrolConnection, 'edges'> & { edges: Array<ResolversTypes['PatrolEdge']> }>;
  PatrolEdge: ResolverTypeWrapper<Omit<PatrolEdge, 'node'> & { node: ResolversTypes['Patrol'] }>;
  PoliceFigures: ResolverTypeWrapper<PoliceFigures>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Resident: ResolverTypeWrapper<ResidentRef>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Division: DivisionRef;
  String: Scalars['String']['output'];
  FileHelpRequestInput: FileHelpRequestInput;
  ID: Scalars['ID']['output'];
  HelpRequest: HelpRequestRecord;
  HelpRequestConnection: Omit<HelpRequestConnection, 'edges'> & { edges: Array<ResolversParentTypes['HelpRequestEdge']> };
  Int: Scalars['Int']['output'];
  HelpRequestEdge: Omit<HelpRequestEdge, 'node'> & { node: ResolversParentTypes['HelpRequest'] };
  LocalizedName: LocalizedName;
  LogPatrolInput: LogPatrolInput;
  Float: Scalars['Float']['output'];
  Mutation: Record<PropertyKey, never>;
  Officer: OfficerRecord;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Patrol: PatrolRecord;
  PatrolConnection: Omit<PatrolConnection, 'edges'> & { edges: Array<ResolversParentTypes['PatrolEdge']> };
  PatrolEdge: Omit<PatrolEdge, 'node'> & { node: ResolversParentTypes['Patrol'] };
  PoliceFigures: PoliceFigures;
  Query: Record<PropertyKey, never>;
  Resident: ResidentRef;
}>;

export type DivisionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Division'] = ResolversParentTypes['Division']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type HelpRequestResolvers<ContextType = Context, ParentType extends ResolversParentTypes['HelpRequest'] = ResolversParentTypes['HelpRequest'], FederationReferenceType extends FederationReferenceTypes['HelpRequest'] = FederationReferenceTypes['HelpRequest']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['HelpRequest']> | FederationReferenceType, FederationReferenceType, ContextType>;
  category?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reportedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  resident?: Resolver<Maybe<ResolversTypes['Resident']>, ParentType, ContextType>;
  resolution?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  resolvedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type HelpRequestConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['HelpRequestConnection'] = ResolversParentTypes['HelpRequestConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['HelpRequestEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type HelpRequestEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['HelpRequestEdge'] = ResolversParentTypes['HelpRequestEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['HelpRequest'], ParentType, ContextType>;
}>;

export type LocalizedNameResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LocalizedName'] = ResolversParentTypes['LocalizedName']> = ResolversObject<{
  mn?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  zh?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  fileHelpRequest?: Resolver<ResolversTypes['HelpRequest'], ParentType, ContextType, RequireFields<MutationFileHelpRequestArgs, 'input'>>;
  logPatrol?: Resolver<ResolversTypes['Patrol'], ParentType, ContextType, RequireFields<MutationLogPatrolArgs, 'input'>>;
  resolveHelpRequest?: Resolver<ResolversTypes['HelpRequest'], ParentType, ContextType, RequireFields<MutationResolveHelpRequestArgs, 'id' | 'resolution'>>;
}>;

export type OfficerResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Officer'] = ResolversParentTypes['Officer']> = ResolversObject<{
  badgeNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  languages?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['LocalizedName'], ParentType, ContextType>;
  station?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type PatrolResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Patrol'] = ResolversParentTypes['Patrol']> = ResolversObject<{
  distanceKm?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  endedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mobilePoliceRoom?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  officers?: Resolver<Array<ResolversTypes['Officer']>, ParentType, ContextType>;
  route?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PatrolConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PatrolConnection'] = ResolversParentTypes['PatrolConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['PatrolEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type PatrolEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PatrolEdge'] = ResolversParentTypes['PatrolEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Patrol'], ParentType, ContextType>;
}>;

export type PoliceFiguresResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PoliceFigures'] = ResolversParentTypes['PoliceFigures']> = ResolversObject<{
  bilingualOfficers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cameras?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  helpRequests?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  patrolKm?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  patrols?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  resolvedHelpRequests?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  videoNetworkDepartments?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  volunteerPolice?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  helpRequests?: Resolver<ResolversTypes['HelpRequestConnection'], ParentType, ContextType, RequireFields<QueryHelpRequestsArgs, 'divisionCode' | 'first'>>;
  officers?: Resolver<Array<ResolversTypes['Officer']>, ParentType, ContextType, RequireFields<QueryOfficersArgs, 'divisionCode'>>;
  patrols?: Resolver<ResolversTypes['PatrolConnection'], ParentType, ContextType, RequireFields<QueryPatrolsArgs, 'divisionCode' | 'first'>>;
  policeFigures?: Resolver<Maybe<ResolversTypes['PoliceFigures']>, ParentType, ContextType, RequireFields<QueryPoliceFiguresArgs, 'divisionCode'>>;
}>;

export type ResidentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Resident'] = ResolversParentTypes['Resident'], FederationReferenceType extends FederationReferenceTypes['Resident'] = FederationReferenceTypes['Resident']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Resident']> | FederationReferenceType, FederationReferenceType, ContextType>;
  helpRequests?: Resolver<Array<ResolversTypes['HelpRequest']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Division?: DivisionResolvers<ContextType>;
  HelpRequest?: HelpRequestResolvers<ContextType>;
  HelpRequestConnection?: HelpRequestConnectionResolvers<ContextType>;
  HelpRequestEdge?: HelpRequestEdgeResolvers<ContextType>;
  LocalizedName?: LocalizedNameResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Officer?: OfficerResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Patrol?: PatrolResolvers<ContextType>;
  PatrolConnection?: PatrolConnectionResolvers<ContextType>;
  PatrolEdge?: PatrolEdgeResolvers<ContextType>;
  PoliceFigures?: PoliceFiguresResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Resident?: ResidentResolvers<ContextType>;
}>;

