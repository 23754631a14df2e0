import { GraphQLResolveInfo } from 'graphql';
import { CourtCaseRecord, HearingRecord, JudgeRecord, ResidentRef, DisputeRef, DivisionRef } from '../models';
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

export type CaseOutcome =
  | 'JUDGED'
  | 'MEDIATED'
  | 'WITHDRAWN';

export type CourtCase = {
  __typename?: 'CourtCase';
  /** Chinese case number, e.g. (2024)蒙0624民初123号: year, court, case-type code, sequence. */
  caseNumber: Scalars['String']['output'];
  closedOn: Maybe<Scalars['String']['output']>;
  /** The mediation dispute the case was filed from, if any. */
  dispute: Maybe<Dispute>;
  division: Division;
  filedOn: Scalars['String']['output'];
  hearings: Array<Hearing>;
  id: Scalars['ID']['output'];
  judge: Maybe<Judge>;
  parties: Array<Resident>;
  /** FILED, IN_HEARING, JUDGED, MEDIATED or WITHDRAWN (CourtCaseStatus). */
  status: Scalars['String']['output'];
  summary: Maybe<Scalars['String']['output']>;
  type: CourtCaseType;
};

export type CourtCaseConnection = {
  __typename?: 'CourtCaseConnection';
  edges: Array<CourtCaseEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type CourtCaseEdge = {
  __typename?: 'CourtCaseEdge';
  cursor: Scalars['String']['output'];
  node: CourtCase;
};

export type CourtCaseStatus =
  | 'FILED'
  | 'IN_HEARING'
  | 'JUDGED'
  | 'MEDIATED'
  | 'WITHDRAWN';

export type CourtCaseType =
  /** 行政一审 (行初) */
  | 'ADMINISTRATIVE'
  /** 民事一审 (民初) */
  | 'CIVIL'
  /** 刑事一审 (刑初) */
  | 'CRIMINAL'
  /** 执行 (执) */
  | 'ENFORCEMENT'
  /** 司法确认等特别程序 (民特), e.g. confirming a mediation agreement */
  | 'SPECIAL_PROCEDURE';

/** A dispute (owned by mediation): the court case filed from it, if any. */
export type Dispute = {
  __typename?: 'Dispute';
  courtCase: Maybe<CourtCase>;
  id: Scalars['ID']['output'];
};

export type Division = {
  __typename?: 'Division';
  code: Scalars['String']['output'];
};

export type FileCaseInput = {
  /** The mediation dispute the case comes from; it must have reached the COURT stage. */
  disputeId?: InputMaybe<Scalars['ID']['input']>;
  divisionCode: Scalars['String']['input'];
  /** ISO 8601 date (or date-time); defaults to now. Sets the year of the case number. */
  filedOn?: InputMaybe<Scalars['String']['input']>;
  /** Registry resident ids of the parties (one or more, distinct; with a dispute, its parties). */
  parties: Array<Scalars['ID']['input']>;
  type: CourtCaseType;
};

export type Hearing = {
  __typename?: 'Hearing';
  /** ISO 8601 date-time. */
  date: Scalars['String']['output'];
  /** For CIRCUIT hearings: the village (gacha) whose legal-affairs room (法律事务室) hosts the hearing. */
  legalAffairsRoom: Maybe<Division>;
  mode: HearingMode;
};

export type HearingMode =
  /** A circuit hearing (巡回审判) held in a village's legal-affairs room. */
  | 'CIRCUIT'
  /** In the courtroom of the banner court or a tribunal. */
  | 'COURTROOM'
  /** Online (remote) hearing. */
  | 'ONLINE';

export type Judge = {
  __typename?: 'Judge';
  division: Division;
  id: Scalars['ID']['output'];
  /** ISO 639-1 codes: mn and zh for a bilingual judge. */
  languages: Array<Scalars['String']['output']>;
  name: LocalizedName;
  /** The court or tribunal (人民法庭) the judge sits in. */
  tribunal: Scalars['String']['output'];
};

export type LocalizedName = {
  __typename?: 'LocalizedName';
  mn: Maybe<Scalars['String']['output']>;
  zh: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Assigns (or re-assigns) the presiding judge of an open case. */
  assignJudge: CourtCase;
  /**
   * Closes a case: JUDGED or MEDIATED after at least one hearing (JUDGED also needs a judge),
   * WITHDRAWN at any time before closing. A closed case cannot change again.
   */
  closeCase: CourtCase;
  /**
   * Files a court case. With `disputeId` the case comes from a mediation dispute, which must have
   * reached the COURT stage; a dispute gets at most one court case.
   */
  fileCase: CourtCase;
  /** Schedules a hearing; the first one moves a FILED case to IN_HEARING. Closed cases get none. */
  scheduleHearing: CourtCase;
};


export type MutationAssignJudgeArgs = {
  caseId: Scalars['ID']['input'];
  judgeId: Scalars['ID']['input'];
};


export type MutationCloseCaseArgs = {
  caseId: Scalars['ID']['input'];
  outcome: CaseOutcome;
  summary?: InputMaybe<Scalars['String']['input']>;
};


export type MutationFileCaseArgs = {
  input: FileCaseInput;
};


export type MutationScheduleHearingArgs = {
  caseId: Scalars['ID']['input'];
  input: ScheduleHearingInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * The mobile court, "heart-to-heart court" (连心法庭): one-stop and online litigation, a
 * legal-affairs room in every gacha, circuit hearings, bilingual (Mongolian/Chinese) judges.
 * Court cases filed from disputes that mediation escalated to COURT link back to them.
 */
export type Query = {
  __typename?: 'Query';
  /** A court case inside the caller's jurisdiction; null otherwise (existence is not revealed). */
  courtCase: Maybe<CourtCase>;
  /** Court cases filed in a division (and the caller's jurisdiction), in filing order. */
  courtCases: CourtCaseConnection;
  /** The judges of the banner court and its tribunals; filter by language to find bilingual judges. */
  judges: Array<Judge>;
};


/**
 * The mobile court, "heart-to-heart court" (连心法庭): one-stop and online litigation, a
 * legal-affairs room in every gacha, circuit hearings, bilingual (Mongolian/Chinese) judges.
 * Court cases filed from disputes that mediation escalated to COURT link back to them.
 */
export type QueryCourtCaseArgs = {
  id: Scalars['ID']['input'];
};


/**
 * The mobile court, "heart-to-heart court" (连心法庭): one-stop and online litigation, a
 * legal-affairs room in every gacha, circuit hearings, bilingual (Mongolian/Chinese) judges.
 * Court cases filed from disputes that mediation escalated to COURT link back to them.
 */
export type QueryCourtCasesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  divisionCode: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * The mobile court, "heart-to-heart court" (连心法庭): one-stop and online litigation, a
 * legal-affairs room in every gacha, circuit hearings, bilingual (Mongolian/Chinese) judges.
 * Court cases filed from disputes that mediation escalated to COURT link back to them.
 */
export type QueryJudgesArgs = {
  language?: InputMaybe<Scalars['String']['input']>;
};

/** A resident (owned by the registry): the court cases they are a party to. */
export type Resident = {
  __typename?: 'Resident';
  /** Cases inside the caller's jurisdiction; [] (with a FORBIDDEN error) when the caller's role may not read them. */
  courtCases: Array<CourtCase>;
  id: Scalars['ID']['output'];
};

export type ScheduleHearingInput = {
  /** ISO 8601 date-time, not before the filing date. */
  date: Scalars['String']['input'];
  /** Village division code (12 digits) of the legal-affairs room; required for CIRCUIT, refused otherwise. */
  legalAffairsRoom?: InputMaybe<Scalars['String']['input']>;
  mode: HearingMode;
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
  CourtCase: CourtCase;
  Dispute: Dispute;
  Judge: Judge;
  Resident: Resident;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  CourtCase:
    ( { __typename: 'CourtCase' }
    & GraphQLRecursivePick<FederationTypes['CourtCase'], {"id":true}> );
  Dispute:
    ( { __typename: 'Dispute' }
    & GraphQLRecursivePick<FederationTypes['Dispute'], {"id":true}> );
  Judge:
    ( { __typename: 'Judge' }
    & GraphQLRecursivePick<FederationTypes['Judge'], {"id":true}> );
  Resident:
    ( { __typename: 'Resident' }
    & GraphQLRecursivePick<FederationTypes['Resident'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CaseOutcome: CaseOutcome;
  CourtCase: ResolverTypeWrapper<CourtCaseRecord>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CourtCaseConnection: ResolverTypeWrapper<Omit<CourtCaseConnection, 'edges'> & { edges: Array<ResolversTypes['CourtCaseEdge']> }>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CourtCaseEdge: ResolverTypeWrapper<Omit<CourtCaseEdge, 'node'> & { node: ResolversTypes['CourtCase'] }>;
  CourtCaseStatus: CourtCaseStatus;
  CourtCaseType: CourtCaseType;
  Dispute: ResolverTypeWrapper<DisputeRef>;
  Division: ResolverTypeWrapper<DivisionRef>;
  FileCaseInput: FileCaseInput;
  Hearing: ResolverTypeWrapper<HearingRecord>;
  HearingMode: HearingMode;
  Judge: ResolverTypeWrapper<JudgeRecord>;
  LocalizedName: ResolverTypeWrapper<LocalizedName>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Resident: ResolverTypeWrapper<ResidentRef>;
  ScheduleHearingInput: ScheduleHearingInput;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CourtCase: CourtCaseRecord;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  CourtCaseConnection: Omit<CourtCaseConnection, 'edges'> & { edges: Array<ResolversParentTypes['CourtCaseEdge']> };
  Int: Scalars['Int']['output'];
  CourtCaseEdge: Omit<CourtCaseEdge, 'node'> & { node: ResolversParentTypes['CourtCase'] };
  Dispute: DisputeRef;
  Division: DivisionRef;
  FileCaseInput: FileCaseInput;
  Hearing: HearingRecord;
  Judge: JudgeRecord;
  LocalizedName: LocalizedName;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Query: Record<PropertyKey, never>;
  Resident: ResidentRef;
  ScheduleHearingInput: ScheduleHearingInput;
}>;

export type CourtCaseResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CourtCase'] = ResolversParentTypes['CourtCase'], FederationReferenceType extends FederationReferenceTypes['CourtCase'] = FederationReferenceTypes['CourtCase']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['CourtCase']> | FederationReferenceType, FederationReferenceType, ContextType>;
  caseNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  closedOn?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  dispute?: Resolver<Maybe<ResolversTypes['Dispute']>, ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  filedOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  hearings?: Resolver<Array<ResolversTypes['Hearing']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  judge?: Resolver<Maybe<ResolversTypes['Judge']>, ParentType, ContextType>;
  parties?: Resolver<Array<ResolversTypes['Resident']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  summary?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['CourtCaseType'], ParentType, ContextType>;
}>;

export type CourtCaseConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CourtCaseConnection'] = ResolversParentTypes['CourtCaseConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['CourtCaseEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CourtCaseEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CourtCaseEdge'] = ResolversParentTypes['CourtCaseEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['CourtCase'], ParentType, ContextType>;
}>;

export type DisputeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Dispute'] = ResolversParentTypes['Dispute'], FederationReferenceType extends FederationReferenceTypes['Dispute'] = FederationReferenceTypes['Dispute']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Dispute']> | FederationReferenceType, FederationReferenceType, ContextType>;
  courtCase?: Resolver<Maybe<ResolversTypes['CourtCase']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type DivisionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Division'] = ResolversParentTypes['Division']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type HearingResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Hearing'] = ResolversParentTypes['Hearing']> = ResolversObject<{
  date?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  legalAffairsRoom?: Resolver<Maybe<ResolversTypes['Division']>, ParentType, ContextType>;
  mode?: Resolver<ResolversTypes['HearingMode'], ParentType, ContextType>;
}>;

export type JudgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Judge'] = ResolversParentTypes['Judge'], FederationReferenceType extends FederationReferenceTypes['Judge'] = FederationReferenceTypes['Judge']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Judge']> | FederationReferenceType, FederationReferenceType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  languages?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['LocalizedName'], ParentType, ContextType>;
  tribunal?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type LocalizedNameResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LocalizedName'] = ResolversParentTypes['LocalizedName']> = ResolversObject<{
  mn?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  zh?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  assignJudge?: Resolver<ResolversTypes['CourtCase'], ParentType, ContextType, RequireFields<MutationAssignJudgeArgs, 'caseId' | 'judgeId'>>;
  closeCase?: Resolver<ResolversTypes['CourtCase'], ParentType, ContextType, RequireFields<MutationCloseCaseArgs, 'caseId' | 'outcome'>>;
  fileCase?: Resolver<ResolversTypes['CourtCase'], ParentType, ContextType, RequireFields<MutationFileCaseArgs, 'input'>>;
  scheduleHearing?: Resolver<ResolversTypes['CourtCase'], ParentType, ContextType, RequireFields<MutationScheduleHearingArgs, 'caseId' | 'input'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  courtCase?: Resolver<Maybe<ResolversTypes['CourtCase']>, ParentType, ContextType, RequireFields<QueryCourtCaseArgs, 'id'>>;
  courtCases?: Resolver<ResolversTypes['CourtCaseConnection'], ParentType, ContextType, RequireFields<QueryCourtCasesArgs, 'divisionCode' | 'first'>>;
  judges?: Resolver<Array<ResolversTypes['Judge']>, ParentType, ContextType, Partial<QueryJudgesArgs>>;
}>;

export type ResidentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Resident'] = ResolversParentTypes['Resident'], FederationReferenceType extends FederationReferenceTypes['Resident'] = FederationReferenceTypes['Resident']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Resident']> | FederationReferenceType, FederationReferenceType, ContextType>;
  courtCases?: Resolver<Array<ResolversTypes['CourtCase']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  CourtCase?: CourtCaseResolvers<ContextType>;
  CourtCaseConnection?: CourtCaseConnectionResolvers<ContextType>;
  CourtCaseEdge?: CourtCaseEdgeResolvers<ContextType>;
  Dispute?: DisputeResolvers<ContextType>;
  Division?: DivisionResolvers<ContextType>;
  Hearing?: HearingResolvers<ContextType>;
  Judge?: JudgeResolvers<ContextType>;
  LocalizedName?: LocalizedNameResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Resident?: ResidentResolvers<ContextType>;
}>;

