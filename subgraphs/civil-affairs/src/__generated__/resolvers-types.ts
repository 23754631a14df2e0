import { GraphQLResolveInfo } from 'graphql';
import { AidGrantRecord, AidApplicationRecord, AssessmentRecord, ResidentRef, HouseholdRef, DivisionRef } from '../models';
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

export type AidApplication = {
  __typename?: 'AidApplication';
  assessment: Maybe<MeansAssessment>;
  decidedAt: Maybe<Scalars['String']['output']>;
  decidedBy: Maybe<Scalars['String']['output']>;
  division: Division;
  /** The grant created on approval. */
  grant: Maybe<AidGrant>;
  household: Maybe<Household>;
  id: Scalars['ID']['output'];
  program: AidProgram;
  /** Why the resident asks for aid. */
  reason: Scalars['String']['output'];
  /** Why the application was rejected. */
  rejectionReason: Maybe<Scalars['String']['output']>;
  /** Yuan per month asked for. */
  requestedAmountYuan: Scalars['Float']['output'];
  /** Urban or rural line, from the household type in the register. */
  residence: Residence;
  resident: Maybe<Resident>;
  reviewStartedAt: Maybe<Scalars['String']['output']>;
  reviewedBy: Maybe<Scalars['String']['output']>;
  status: AidApplicationStatus;
  submittedAt: Scalars['String']['output'];
  submittedBy: Scalars['String']['output'];
};

export type AidApplicationConnection = {
  __typename?: 'AidApplicationConnection';
  edges: Array<AidApplicationEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type AidApplicationEdge = {
  __typename?: 'AidApplicationEdge';
  cursor: Scalars['String']['output'];
  node: AidApplication;
};

export type AidApplicationStatus =
  | 'APPROVED'
  | 'REJECTED'
  | 'SUBMITTED'
  | 'UNDER_REVIEW';

/** An aid grant: a monthly amount paid to a resident over a period. */
export type AidGrant = {
  __typename?: 'AidGrant';
  /** Yuan per month. */
  amountYuan: Scalars['Float']['output'];
  /** The application the grant was approved on. */
  application: Maybe<AidApplication>;
  division: Division;
  /** YYYY-MM-DD; null while open-ended. */
  endDate: Maybe<Scalars['String']['output']>;
  household: Maybe<Household>;
  id: Scalars['ID']['output'];
  program: AidProgram;
  resident: Maybe<Resident>;
  /** YYYY-MM-DD. */
  startDate: Scalars['String']['output'];
  /** ACTIVE or ENDED. */
  status: Scalars['String']['output'];
};

export type AidGrantConnection = {
  __typename?: 'AidGrantConnection';
  edges: Array<AidGrantEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type AidGrantEdge = {
  __typename?: 'AidGrantEdge';
  cursor: Scalars['String']['output'];
  node: AidGrant;
};

export type AidGrantStatus =
  | 'ACTIVE'
  | 'ENDED';

export type AidProgram =
  /** 残疾人两项补贴: disability subsidies. */
  | 'DISABILITY'
  /** 高龄津贴: old-age allowance, from the age of 80. */
  | 'ELDERLY'
  /** 特困人员供养: support of people in extreme poverty, means-tested. */
  | 'EXTREME_POVERTY'
  /** 最低生活保障 (低保): minimum living allowance, means-tested against the local line. */
  | 'MINIMUM_LIVING'
  /** 临时救助: temporary assistance, for a fixed period of at most 6 months. */
  | 'TEMPORARY';

export type AidProgramRule = {
  __typename?: 'AidProgramRule';
  endDateRequired: Scalars['Boolean']['output'];
  /** For MINIMUM_LIVING the monthly line of the household's residence also caps the amount. */
  maxAmountYuan: Scalars['Float']['output'];
  meansTested: Scalars['Boolean']['output'];
  minAmountYuan: Scalars['Float']['output'];
  program: AidProgram;
};

export type AidRules = {
  __typename?: 'AidRules';
  elderlyMinimumAge: Scalars['Int']['output'];
  minimumLivingLineYearlyRural: Scalars['Float']['output'];
  minimumLivingLineYearlyUrban: Scalars['Float']['output'];
  programs: Array<AidProgramRule>;
  temporaryMaxMonths: Scalars['Int']['output'];
};

export type ApproveAidApplicationInput = {
  /** Yuan per month, within the program's bounds. */
  amountYuan: Scalars['Float']['input'];
  /** YYYY-MM-DD, after startDate; required for TEMPORARY. */
  endDate?: InputMaybe<Scalars['String']['input']>;
  /** YYYY-MM-DD. */
  startDate: Scalars['String']['input'];
};

export type Division = {
  __typename?: 'Division';
  code: Scalars['String']['output'];
};

export type Household = {
  __typename?: 'Household';
  /** Grants paid to the household's members (inside the caller's jurisdiction), oldest first. */
  aidGrants: Array<AidGrant>;
  id: Scalars['ID']['output'];
};

/** The household means assessment (家庭经济状况核对) a caseworker records. */
export type MeansAssessment = {
  __typename?: 'MeansAssessment';
  assessedAt: Scalars['String']['output'];
  assessedBy: Scalars['String']['output'];
  /** Household monthly income per person, yuan. */
  householdMonthlyIncomePerPerson: Scalars['Float']['output'];
  /** The local monthly line it is compared with (urban or rural). */
  povertyLineMonthly: Scalars['Float']['output'];
  /** True when the income is under the line. */
  underLine: Scalars['Boolean']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** UNDER_REVIEW → APPROVED; creates the grant (checked against the program's rules). */
  approveAidApplication: AidApplication;
  /** Ends an active grant (ACTIVE → ENDED) on endDate; an ended grant cannot be ended again. */
  endAidGrant: AidGrant;
  /** Records (or corrects) the household means assessment of a SUBMITTED or UNDER_REVIEW application. */
  recordMeansAssessment: AidApplication;
  /** UNDER_REVIEW → REJECTED, with the reason told to the applicant. */
  rejectAidApplication: AidApplication;
  /** SUBMITTED → UNDER_REVIEW. */
  startReview: AidApplication;
  /** A caseworker takes in an application (status SUBMITTED) for a resident of a registered household. */
  submitAidApplication: AidApplication;
};


export type MutationApproveAidApplicationArgs = {
  id: Scalars['ID']['input'];
  input: ApproveAidApplicationInput;
};


export type MutationEndAidGrantArgs = {
  endDate: Scalars['String']['input'];
  id: Scalars['ID']['input'];
};


export type MutationRecordMeansAssessmentArgs = {
  householdMonthlyIncomePerPerson: Scalars['Float']['input'];
  id: Scalars['ID']['input'];
};


export type MutationRejectAidApplicationArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationStartReviewArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSubmitAidApplicationArgs = {
  input: SubmitAidApplicationInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * Social aid (社会救助) of the civil-affairs bureau, handled through the grid: applications, the household
 * means assessment a caseworker records, and the grants paid to residents (yuan per month).
 *
 * Local lines used for eligibility (Ordos, yuan per person per year): minimum living allowance (低保)
 * 9,300 urban / 7,800 rural, i.e. 775 / 650 per month. See `src/rules.ts`.
 */
export type Query = {
  __typename?: 'Query';
  /** An application inside the caller's jurisdiction; null otherwise. */
  aidApplication: Maybe<AidApplication>;
  /** Aid applications inside a division (and the caller's jurisdiction), oldest first; optionally one status. */
  aidApplications: AidApplicationConnection;
  /** A grant inside the caller's jurisdiction; null otherwise. */
  aidGrant: Maybe<AidGrant>;
  /** Aid grants inside a division (and the caller's jurisdiction), oldest first; optionally one program. */
  aidGrants: AidGrantConnection;
  /** The eligibility rules in force: poverty lines and each program's monthly amount bounds; null with FORBIDDEN for roles the CIVIL_AFFAIRS policy does not grant them. */
  aidRules: Maybe<AidRules>;
};


/**
 * Social aid (社会救助) of the civil-affairs bureau, handled through the grid: applications, the household
 * means assessment a caseworker records, and the grants paid to residents (yuan per month).
 *
 * Local lines used for eligibility (Ordos, yuan per person per year): minimum living allowance (低保)
 * 9,300 urban / 7,800 rural, i.e. 775 / 650 per month. See `src/rules.ts`.
 */
export type QueryAidApplicationArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Social aid (社会救助) of the civil-affairs bureau, handled through the grid: applications, the household
 * means assessment a caseworker records, and the grants paid to residents (yuan per month).
 *
 * Local lines used for eligibility (Ordos, yuan per person per year): minimum living allowance (低保)
 * 9,300 urban / 7,800 rural, i.e. 775 / 650 per month. See `src/rules.ts`.
 */
export type QueryAidApplicationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  divisionCode: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<AidApplicationStatus>;
};


/**
 * Social aid (社会救助) of the civil-affairs bureau, handled through the grid: applications, the household
 * means assessment a caseworker records, and the grants paid to residents (yuan per month).
 *
 * Local lines used for eligibility (Ordos, yuan per person per year): minimum living allowance (低保)
 * 9,300 urban / 7,800 rural, i.e. 775 / 650 per month. See `src/rules.ts`.
 */
export type QueryAidGrantArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Social aid (社会救助) of the civil-affairs bureau, handled through the grid: applications, the household
 * means assessment a caseworker records, and the grants paid to residents (yuan per month).
 *
 * Local lines used for eligibility (Ordos, yuan per person per year): minimum living allowance (低保)
 * 9,300 urban / 7,800 rural, i.e. 775 / 650 per month. See `src/rules.ts`.
 */
export type QueryAidGrantsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  divisionCode: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  program?: InputMaybe<AidProgram>;
};

export type Residence =
  | 'RURAL'
  | 'URBAN';

export type Resident = {
  __typename?: 'Resident';
  aidApplications: Array<AidApplication>;
  /** Grants paid to the resident (inside the caller's jurisdiction), oldest first. */
  aidGrants: Array<AidGrant>;
  id: Scalars['ID']['output'];
};

export type SubmitAidApplicationInput = {
  /** Where the application is handled: must contain the household's place and lie in your jurisdiction. */
  divisionCode: Scalars['String']['input'];
  householdId: Scalars['ID']['input'];
  /** The means assessment, if already made (yuan per person per month). */
  householdMonthlyIncomePerPerson?: InputMaybe<Scalars['Float']['input']>;
  program: AidProgram;
  reason: Scalars['String']['input'];
  /** Yuan per month, within the program's bounds. */
  requestedAmountYuan: Scalars['Float']['input'];
  /** The applicant (a registry resident id), a member of the household. */
  residentId: Scalars['ID']['input'];
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
  AidApplication: AidApplication;
  AidGrant: AidGrant;
  Household: Household;
  Resident: Resident;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  AidApplication:
    ( { __typename: 'AidApplication' }
    & GraphQLRecursivePick<FederationTypes['AidApplication'], {"id":true}> );
  AidGrant:
    ( { __typename: 'AidGrant' }
    & GraphQLRecursivePick<FederationTypes['AidGrant'], {"id":true}> );
  Household:
    ( { __typename: 'Household' }
    & GraphQLRecursivePick<FederationTypes['Household'], {"id":true}> );
  Resident:
    ( { __typename: 'Resident' }
    & GraphQLRecursivePick<FederationTypes['Resident'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AidApplication: ResolverTypeWrapper<AidApplicationRecord>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  AidApplicationConnection: ResolverTypeWrapper<Omit<AidApplicationConnection, 'edges'> & { edges: Array<ResolversTypes['AidApplicationEdge']> }>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  AidApplicationEdge: ResolverTypeWrapper<Omit<AidApplicationEdge, 'node'> & { node: ResolversTypes['AidApplication'] }>;
  AidApplicationStatus: AidApplicationStatus;
  AidGrant: ResolverTypeWrapper<AidGrantRecord>;
  AidGrantConnection: ResolverTypeWrapper<Omit<AidGrantConnection, 'edges'> & { edges: Array<ResolversTypes['AidGrantEdge']> }>;
  AidGrantEdge: ResolverTypeWrapper<Omit<AidGrantEdge, 'node'> & { node: ResolversTypes['AidGrant'] }>;
  AidGrantStatus: AidGrantStatus;
  AidProgram: AidProgram;
  AidProgramRule: ResolverTypeWrapper<AidProgramRule>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  AidRules: ResolverTypeWrapper<AidRules>;
  ApproveAidApplicationInput: ApproveAidApplicationInput;
  Division: ResolverTypeWrapper<DivisionRef>;
  Household: ResolverTypeWrapper<HouseholdRef>;
  MeansAssessment: ResolverTypeWrapper<AssessmentRecord>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Residence: Residence;
  Resident: ResolverTypeWrapper<ResidentRef>;
  SubmitAidApplicationInput: SubmitAidApplicationInput;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AidApplication: AidApplicationRecord;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  Float: Scalars['Float']['output'];
  AidApplicationConnection: Omit<AidApplicationConnection, 'edges'> & { edges: Array<ResolversParentTypes['AidApplicationEdge']> };
  Int: Scalars['Int']['output'];
  AidApplicationEdge: Omit<AidApplicationEdge, 'node'> & { node: ResolversParentTypes['AidApplication'] };
  AidGrant: AidGrantRecord;
  AidGrantConnection: Omit<AidGrantConnection, 'edges'> & { edges: Array<ResolversParentTypes['AidGrantEdge']> };
  AidGrantEdge: Omit<AidGrantEdge, 'node'> & { node: ResolversParentTypes['AidGrant'] };
  AidProgramRule: AidProgramRule;
  Boolean: Scalars['Boolean']['output'];
  AidRules: AidRules;
  ApproveAidApplicationInput: ApproveAidApplicationInput;
  Division: DivisionRef;
  Household: HouseholdRef;
  MeansAssessment: AssessmentRecord;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  Resident: ResidentRef;
  SubmitAidApplicationInput: SubmitAidApplicationInput;
}>;

export type AidApplicationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AidApplication'] = ResolversParentTypes['AidApplication'], FederationReferenceType extends FederationReferenceTypes['AidApplication'] = FederationReferenceTypes['AidApplication']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['AidApplication']> | FederationReferenceType, FederationReferenceType, ContextType>;
  assessment?: Resolver<Maybe<ResolversTypes['MeansAssessment']>, ParentType, ContextType>;
  decidedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  decidedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  grant?: Resolver<Maybe<ResolversTypes['AidGrant']>, ParentType, ContextType>;
  household?: Resolver<Maybe<ResolversTypes['Household']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  program?: Resolver<ResolversTypes['AidProgram'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rejectionReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  requestedAmountYuan?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  residence?: Resolver<ResolversTypes['Residence'], ParentType, ContextType>;
  resident?: Resolver<Maybe<ResolversTypes['Resident']>, ParentType, ContextType>;
  reviewStartedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reviewedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AidApplicationStatus'], ParentType, ContextType>;
  submittedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  submittedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type AidApplicationConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AidApplicationConnection'] = ResolversParentTypes['AidApplicationConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['AidApplicationEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type AidApplicationEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AidApplicationEdge'] = ResolversParentTypes['AidApplicationEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['AidApplication'], ParentType, ContextType>;
}>;

export type AidGrantResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AidGrant'] = ResolversParentTypes['AidGrant'], FederationReferenceType extends FederationReferenceTypes['AidGrant'] = FederationReferenceTypes['AidGrant']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['AidGrant']> | FederationReferenceType, FederationReferenceType, ContextType>;
  amountYuan?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  application?: Resolver<Maybe<ResolversTypes['AidApplication']>, ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  endDate?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  household?: Resolver<Maybe<ResolversTypes['Household']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  program?: Resolver<ResolversTypes['AidProgram'], ParentType, ContextType>;
  resident?: Resolver<Maybe<ResolversTypes['Resident']>, ParentType, ContextType>;
  startDate?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type AidGrantConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AidGrantConnection'] = ResolversParentTypes['AidGrantConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['AidGrantEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type AidGrantEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AidGrantEdge'] = ResolversParentTypes['AidGrantEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['AidGrant'], ParentType, ContextType>;
}>;

export type AidProgramRuleResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AidProgramRule'] = ResolversParentTypes['AidProgramRule']> = ResolversObject<{
  endDateRequired?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  maxAmountYuan?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  meansTested?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  minAmountYuan?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  program?: Resolver<ResolversTypes['AidProgram'], ParentType, ContextType>;
}>;

export type AidRulesResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AidRules'] = ResolversParentTypes['AidRules']> = ResolversObject<{
  elderlyMinimumAge?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  minimumLivingLineYearlyRural?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  minimumLivingLineYearlyUrban?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  programs?: Resolver<Array<ResolversTypes['AidProgramRule']>, ParentType, ContextType>;
  temporaryMaxMonths?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type DivisionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Division'] = ResolversParentTypes['Division']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type HouseholdResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Household'] = ResolversParentTypes['Household'], FederationReferenceType extends FederationReferenceTypes['Household'] = FederationReferenceTypes['Household']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Household']> | FederationReferenceType, FederationReferenceType, ContextType>;
  aidGrants?: Resolver<Array<ResolversTypes['AidGrant']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type MeansAssessmentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MeansAssessment'] = ResolversParentTypes['MeansAssessment']> = ResolversObject<{
  assessedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  assessedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  householdMonthlyIncomePerPerson?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  povertyLineMonthly?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  underLine?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  approveAidApplication?: Resolver<ResolversTypes['AidApplication'], ParentType, ContextType, RequireFields<MutationApproveAidApplicationArgs, 'id' | 'input'>>;
  endAidGrant?: Resolver<ResolversTypes['AidGrant'], ParentType, ContextType, RequireFields<MutationEndAidGrantArgs, 'endDate' | 'id'>>;
  recordMeansAssessment?: Resolver<ResolversTypes['AidApplication'], ParentType, ContextType, RequireFields<MutationRecordMeansAssessmentArgs, 'householdMonthlyIncomePerPerson' | 'id'>>;
  rejectAidApplication?: Resolver<ResolversTypes['AidApplication'], ParentType, ContextType, RequireFields<MutationRejectAidApplicationArgs, 'id' | 'reason'>>;
  startReview?: Resolver<ResolversTypes['AidApplication'], ParentType, ContextType, RequireFields<MutationStartReviewArgs, 'id'>>;
  submitAidApplication?: Resolver<ResolversTypes['AidApplication'], ParentType, ContextType, RequireFields<MutationSubmitAidApplicationArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  aidApplication?: Resolver<Maybe<ResolversTypes['AidApplication']>, ParentType, ContextType, RequireFields<QueryAidApplicationArgs, 'id'>>;
  aidApplications?: Resolver<ResolversTypes['AidApplicationConnection'], ParentType, ContextType, RequireFields<QueryAidApplicationsArgs, 'divisionCode' | 'first'>>;
  aidGrant?: Resolver<Maybe<ResolversTypes['AidGrant']>, ParentType, ContextType, RequireFields<QueryAidGrantArgs, 'id'>>;
  aidGrants?: Resolver<ResolversTypes['AidGrantConnection'], ParentType, ContextType, RequireFields<QueryAidGrantsArgs, 'divisionCode' | 'first'>>;
  aidRules?: Resolver<Maybe<ResolversTypes['AidRules']>, ParentType, ContextType>;
}>;

export type ResidentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Resident'] = ResolversParentTypes['Resident'], FederationReferenceType extends FederationReferenceTypes['Resident'] = FederationReferenceTypes['Resident']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Resident']> | FederationReferenceType, FederationReferenceType, ContextType>;
  aidApplications?: Resolver<Array<ResolversTypes['AidApplication']>, ParentType, ContextType>;
  aidGrants?: Resolver<Array<ResolversTypes['AidGrant']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  AidApplication?: AidApplicationResolvers<ContextType>;
  AidApplicationConnection?: AidApplicationConnectionResolvers<ContextType>;
  AidApplicationEdge?: AidApplicationEdgeResolvers<ContextType>;
  AidGrant?: AidGrantResolvers<ContextType>;
  AidGrantConnection?: AidGrantConnectionResolvers<ContextType>;
  AidGrantEdge?: AidGrantEdgeResolvers<ContextType>;
  AidProgramRule?: AidProgramRuleResolvers<ContextType>;
  AidRules?: AidRulesResolvers<ContextType>;
  Division?: DivisionResolvers<ContextType>;
  Household?: HouseholdResolvers<ContextType>;
  MeansAssessment?: MeansAssessmentResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Resident?: ResidentResolvers<ContextType>;
}>;

