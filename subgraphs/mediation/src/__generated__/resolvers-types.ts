import { GraphQLResolveInfo } from 'graphql';
import { DisputeRecord, DisputeCountRecord, StepRecord, MediatorRecord, LegalAdviserRecord, ConsultationRecord, ResidentRef, HelpRequestRef, DivisionRef } from '../models';
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

export type Consultation = {
  __typename?: 'Consultation';
  adviser: LegalAdviser;
  /** Date (YYYY-MM-DD). */
  date: Scalars['String']['output'];
  division: Division;
  id: Scalars['ID']['output'];
  mode: ConsultationMode;
  /** The resident consulted, if recorded. */
  resident: Maybe<Resident>;
  subject: ConsultationSubject;
  summary: Scalars['String']['output'];
};

export type ConsultationMode =
  | 'ONLINE'
  | 'ON_SITE'
  | 'PHONE';

export type ConsultationSubject =
  | 'CONTRACT_AND_DEBT'
  | 'ENTERPRISE'
  | 'FAMILY_AND_INHERITANCE'
  | 'GRASSLAND_AND_LAND'
  | 'LABOUR'
  | 'OTHER';

/** A dispute between residents, moving up the escalation ladder. */
export type Dispute = {
  __typename?: 'Dispute';
  /** A DisputeCategory value. */
  category: Scalars['String']['output'];
  /** The account of what the dispute is about; null (with FORBIDDEN) for roles the policy gives only a summary. */
  description: Maybe<Scalars['String']['output']>;
  division: Division;
  /** The police help request the dispute came from, if any. */
  helpRequest: Maybe<HelpRequest>;
  id: Scalars['ID']['output'];
  parties: Array<Resident>;
  /** Date (YYYY-MM-DD) the dispute was screened. */
  screenedOn: Scalars['String']['output'];
  stage: DisputeStage;
  /** A DisputeStatus value. */
  status: Scalars['String']['output'];
  /** Every stage the dispute reached, oldest first; the last is the current one. */
  steps: Array<EscalationStep>;
};

export type DisputeCategory =
  /** Enterprise and herders (企牧矛盾): mines and chemical parks against herding households. */
  | 'ENTERPRISE_HERDER'
  | 'FAMILY'
  /** Grassland or land contract (草原/土地承包). */
  | 'GRASSLAND_CONTRACT'
  | 'LABOUR'
  | 'NEIGHBOURS'
  | 'OTHER';

export type DisputeConnection = {
  __typename?: 'DisputeConnection';
  edges: Array<DisputeEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** Disputes of one village screened in one month, by where they stand now. */
export type DisputeCount = {
  __typename?: 'DisputeCount';
  /** The village (or community) the disputes belong to. */
  division: Division;
  /** Month of screening, YYYY-MM. */
  month: Scalars['String']['output'];
  open: Scalars['Int']['output'];
  referredToCourt: Scalars['Int']['output'];
  resolved: Scalars['Int']['output'];
  screened: Scalars['Int']['output'];
  withdrawn: Scalars['Int']['output'];
};

export type DisputeEdge = {
  __typename?: 'DisputeEdge';
  cursor: Scalars['String']['output'];
  node: Dispute;
};

/** The escalation ladder of the article's democratic fortress: a dispute leaves the village only after both village bodies tried. */
export type DisputeStage =
  | 'COURT'
  | 'DELIBERATION_COUNCIL'
  | 'JUDICIAL_MEDIATION'
  | 'VILLAGE_COMMITTEE';

export type DisputeStatus =
  /** Being mediated at its current stage (or waiting to be escalated after a failed session). */
  | 'OPEN'
  /** Reached COURT: the court takes it from here. */
  | 'REFERRED_TO_COURT'
  | 'RESOLVED'
  | 'WITHDRAWN';

export type Division = {
  __typename?: 'Division';
  code: Scalars['String']['output'];
};

/** One rung of the ladder: when the dispute arrived there and what its mediation session decided. */
export type EscalationStep = {
  __typename?: 'EscalationStep';
  /** Date (YYYY-MM-DD) of the mediation session; null while pending. */
  date: Maybe<Scalars['String']['output']>;
  mediators: Array<Mediator>;
  /** null while pending. */
  mode: Maybe<MediationMode>;
  notes: Maybe<Scalars['String']['output']>;
  /** Date (YYYY-MM-DD) the dispute arrived at this stage. */
  openedOn: Scalars['String']['output'];
  /** null while pending. */
  outcome: Maybe<MediationOutcome>;
  stage: DisputeStage;
};

/** A police help request (owned by police); mediation adds the dispute it was screened into. */
export type HelpRequest = {
  __typename?: 'HelpRequest';
  dispute: Maybe<Dispute>;
  id: Scalars['ID']['output'];
};

/** The legal adviser of one village (一村一法律顾问): a lawyer or legal worker who visits and answers online. */
export type LegalAdviser = {
  __typename?: 'LegalAdviser';
  /** Consultations given, newest first. */
  consultations: Array<Consultation>;
  division: Division;
  id: Scalars['ID']['output'];
  /** ISO 639-1 codes. */
  languages: Array<Scalars['String']['output']>;
  lawFirm: Scalars['String']['output'];
  name: LocalizedName;
};

export type LocalizedName = {
  __typename?: 'LocalizedName';
  mn: Maybe<Scalars['String']['output']>;
  zh: Scalars['String']['output'];
};

export type MediationMode =
  | 'ONLINE'
  | 'ON_SITE';

export type MediationOutcome =
  | 'ESCALATED'
  | 'RESOLVED'
  | 'WITHDRAWN';

export type Mediator = {
  __typename?: 'Mediator';
  division: Division;
  id: Scalars['ID']['output'];
  kind: MediatorKind;
  /** ISO 639-1 codes, e.g. mn and zh for a bilingual mediator. */
  languages: Array<Scalars['String']['output']>;
  name: LocalizedName;
  organisation: Scalars['String']['output'];
};

export type MediatorKind =
  /** Arbitrator of the labour or land-contract arbitration bodies, mediating with the centre. */
  | 'ARBITRATOR'
  /** Member of a village deliberation council (村坊议事会). */
  | 'COUNCIL_MEMBER'
  /** Judicial mediator of a judicial office or the banner's dispute-resolution centre. */
  | 'JUDICIAL_MEDIATOR'
  /** People's mediator of a village mediation committee (人民调解员). */
  | 'VILLAGE_MEDIATOR';

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Moves a dispute one step up the ladder. Only legal moves are accepted: one step at a time, never
   * after resolution or withdrawal, and COURT only after judicial mediation failed (outcome ESCALATED).
   */
  escalateDispute: Dispute;
  /** Records a legal adviser's consultation with a resident of the adviser's village. */
  recordConsultation: Consultation;
  /** Records the outcome of a mediation session at the dispute's current stage. */
  recordMediation: Dispute;
  /**
   * Screens a dispute (矛盾纠纷排查) between two or more residents of a village or grid; it starts
   * at the village committee. Optionally links the police help request it came from.
   */
  screenDispute: Dispute;
};


export type MutationEscalateDisputeArgs = {
  date: Scalars['String']['input'];
  disputeId: Scalars['ID']['input'];
  to?: InputMaybe<DisputeStage>;
};


export type MutationRecordConsultationArgs = {
  input: RecordConsultationInput;
};


export type MutationRecordMediationArgs = {
  disputeId: Scalars['ID']['input'];
  input: RecordMediationInput;
};


export type MutationScreenDisputeArgs = {
  input: ScreenDisputeInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * Mobile judicial mediation (司法调解流动) and mobile legal consultation (咨询服务流动): disputes
 * screened by the judicial office and the dispute-resolution centre, their escalation ladder
 * (village committee → village deliberation council → judicial mediation → court), the mediators
 * who work each step, and the legal adviser of every village (一村一法律顾问) with their consultations.
 */
export type Query = {
  __typename?: 'Query';
  /** One dispute; null when it does not exist or lies outside the caller's jurisdiction. */
  dispute: Maybe<Dispute>;
  /**
   * Disputes counted by village and month of screening (analysts: "disputes by village and month"),
   * inside a division and the caller's jurisdiction; optionally from/to a month (YYYY-MM, inclusive).
   */
  disputeCounts: Array<DisputeCount>;
  /** Disputes inside a division (and the caller's jurisdiction), in screening order; filter by stage, status or category. */
  disputes: DisputeConnection;
  /** The legal advisers of the villages inside a division: one per village (一村一法律顾问). */
  legalAdvisers: Array<LegalAdviser>;
  /** Mediators working inside a division; filter by language (ISO 639-1) to find bilingual mediators. */
  mediators: Array<Mediator>;
};


/**
 * Mobile judicial mediation (司法调解流动) and mobile legal consultation (咨询服务流动): disputes
 * screened by the judicial office and the dispute-resolution centre, their escalation ladder
 * (village committee → village deliberation council → judicial mediation → court), the mediators
 * who work each step, and the legal adviser of every village (一村一法律顾问) with their consultations.
 */
export type QueryDisputeArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Mobile judicial mediation (司法调解流动) and mobile legal consultation (咨询服务流动): disputes
 * screened by the judicial office and the dispute-resolution centre, their escalation ladder
 * (village committee → village deliberation council → judicial mediation → court), the mediators
 * who work each step, and the legal adviser of every village (一村一法律顾问) with their consultations.
 */
export type QueryDisputeCountsArgs = {
  divisionCode: Scalars['String']['input'];
  from?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['String']['input']>;
};


/**
 * Mobile judicial mediation (司法调解流动) and mobile legal consultation (咨询服务流动): disputes
 * screened by the judicial office and the dispute-resolution centre, their escalation ladder
 * (village committee → village deliberation council → judicial mediation → court), the mediators
 * who work each step, and the legal adviser of every village (一村一法律顾问) with their consultations.
 */
export type QueryDisputesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  category?: InputMaybe<DisputeCategory>;
  divisionCode: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  stage?: InputMaybe<DisputeStage>;
  status?: InputMaybe<DisputeStatus>;
};


/**
 * Mobile judicial mediation (司法调解流动) and mobile legal consultation (咨询服务流动): disputes
 * screened by the judicial office and the dispute-resolution centre, their escalation ladder
 * (village committee → village deliberation council → judicial mediation → court), the mediators
 * who work each step, and the legal adviser of every village (一村一法律顾问) with their consultations.
 */
export type QueryLegalAdvisersArgs = {
  divisionCode: Scalars['String']['input'];
};


/**
 * Mobile judicial mediation (司法调解流动) and mobile legal consultation (咨询服务流动): disputes
 * screened by the judicial office and the dispute-resolution centre, their escalation ladder
 * (village committee → village deliberation council → judicial mediation → court), the mediators
 * who work each step, and the legal adviser of every village (一村一法律顾问) with their consultations.
 */
export type QueryMediatorsArgs = {
  divisionCode: Scalars['String']['input'];
  language?: InputMaybe<Scalars['String']['input']>;
};

export type RecordConsultationInput = {
  /** Date (YYYY-MM-DD); not in the future. */
  date: Scalars['String']['input'];
  legalAdviserId: Scalars['ID']['input'];
  mode: ConsultationMode;
  residentId?: InputMaybe<Scalars['ID']['input']>;
  subject: ConsultationSubject;
  summary: Scalars['String']['input'];
};

export type RecordMediationInput = {
  /** Date (YYYY-MM-DD) of the session; not before the stage was reached, not in the future. */
  date: Scalars['String']['input'];
  mediatorIds: Array<Scalars['ID']['input']>;
  mode: MediationMode;
  notes?: InputMaybe<Scalars['String']['input']>;
  outcome: MediationOutcome;
};

export type Resident = {
  __typename?: 'Resident';
  /** Disputes the resident is a party to (inside the caller's jurisdiction). */
  disputes: Array<Dispute>;
  id: Scalars['ID']['output'];
};

export type ScreenDisputeInput = {
  category: DisputeCategory;
  description: Scalars['String']['input'];
  /** The village or grid the dispute belongs to. */
  divisionCode: Scalars['String']['input'];
  /** The police help request the dispute came from. */
  helpRequestId?: InputMaybe<Scalars['ID']['input']>;
  /** Registry resident ids of the parties: two or more distinct residents. */
  partyIds: Array<Scalars['ID']['input']>;
  /** Date (YYYY-MM-DD); defaults to today. */
  screenedOn?: InputMaybe<Scalars['String']['input']>;
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
  Dispute: Dispute;
  HelpRequest: HelpRequest;
  Resident: Resident;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Dispute:
    ( { __typename: 'Dispute' }
    & GraphQLRecursivePick<FederationTypes['Dispute'], {"id":true}> );
  HelpRequest:
    ( { __typename: 'HelpRequest' }
    & GraphQLRecursivePick<FederationTypes['HelpRequest'], {"id":true}> );
  Resident:
    ( { __typename: 'Resident' }
    & GraphQLRecursivePick<FederationTypes['Resident'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Consultation: ResolverTypeWrapper<ConsultationRecord>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ConsultationMode: ConsultationMode;
  ConsultationSubject: ConsultationSubject;
  Dispute: ResolverTypeWrapper<DisputeRecord>;
  DisputeCategory: DisputeCategory;
  DisputeConnection: ResolverTypeWrapper<Omit<DisputeConnection, 'edges'> & { edges: Array<ResolversTypes['DisputeEdge']> }>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  DisputeCount: ResolverTypeWrapper<DisputeCountRecord>;
  DisputeEdge: ResolverTypeWrapper<Omit<DisputeEdge, 'node'> & { node: ResolversTypes['Dispute'] }>;
  DisputeStage: DisputeStage;
  DisputeStatus: DisputeStatus;
  Division: ResolverTypeWrapper<DivisionRef>;
  EscalationStep: ResolverTypeWrapper<StepRecord>;
  HelpRequest: ResolverTypeWrapper<HelpRequestRef>;
  LegalAdviser: ResolverTypeWrapper<LegalAdviserRecord>;
  LocalizedName: ResolverTypeWrapper<LocalizedName>;
  MediationMode: MediationMode;
  MediationOutcome: MediationOutcome;
  Mediator: ResolverTypeWrapper<MediatorRecord>;
  MediatorKind: MediatorKind;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordConsultationInput: RecordConsultationInput;
  RecordMediationInput: RecordMediationInput;
  Resident: ResolverTypeWrapper<ResidentRef>;
  ScreenDisputeInput: ScreenDisputeInput;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Consultation: ConsultationRecord;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  Dispute: DisputeRecord;
  DisputeConnection: Omit<DisputeConnection, 'edges'> & { edges: Array<ResolversParentTypes['DisputeEdge']> };
  Int: Scalars['Int']['output'];
  DisputeCount: DisputeCountRecord;
  DisputeEdge: Omit<DisputeEdge, 'node'> & { node: ResolversParentTypes['Dispute'] };
  Division: DivisionRef;
  EscalationStep: StepRecord;
  HelpRequest: HelpRequestRef;
  LegalAdviser: LegalAdviserRecord;
  LocalizedName: LocalizedName;
  Mediator: MediatorRecord;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Query: Record<PropertyKey, never>;
  RecordConsultationInput: RecordConsultationInput;
  RecordMediationInput: RecordMediationInput;
  Resident: ResidentRef;
  ScreenDisputeInput: ScreenDisputeInput;
}>;

export type ConsultationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Consultation'] = ResolversParentTypes['Consultation']> = ResolversObject<{
  adviser?: Resolver<ResolversTypes['LegalAdviser'], ParentType, ContextType>;
  date?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mode?: Resolver<ResolversTypes['ConsultationMode'], ParentType, ContextType>;
  resident?: Resolver<Maybe<ResolversTypes['Resident']>, ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['ConsultationSubject'], ParentType, ContextType>;
  summary?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type DisputeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Dispute'] = ResolversParentTypes['Dispute'], FederationReferenceType extends FederationReferenceTypes['Dispute'] = FederationReferenceTypes['Dispute']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Dispute']> | FederationReferenceType, FederationReferenceType, ContextType>;
  category?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  helpRequest?: Resolver<Maybe<ResolversTypes['HelpRequest']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  parties?: Resolver<Array<ResolversTypes['Resident']>, ParentType, ContextType>;
  screenedOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['DisputeStage'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  steps?: Resolver<Array<ResolversTypes['EscalationStep']>, ParentType, ContextType>;
}>;

export type DisputeConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DisputeConnection'] = ResolversParentTypes['DisputeConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['DisputeEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type DisputeCountResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DisputeCount'] = ResolversParentTypes['DisputeCount']> = ResolversObject<{
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  month?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  open?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  referredToCourt?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  resolved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  screened?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  withdrawn?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type DisputeEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DisputeEdge'] = ResolversParentTypes['DisputeEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Dispute'], ParentType, ContextType>;
}>;

export type DivisionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Division'] = ResolversParentTypes['Division']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type EscalationStepResolvers<ContextType = Context, ParentType extends ResolversParentTypes['EscalationStep'] = ResolversParentTypes['EscalationStep']> = ResolversObject<{
  date?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  mediators?: Resolver<Array<ResolversTypes['Mediator']>, ParentType, ContextType>;
  mode?: Resolver<Maybe<ResolversTypes['MediationMode']>, ParentType, ContextType>;
  notes?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  openedOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outcome?: Resolver<Maybe<ResolversTypes['MediationOutcome']>, ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['DisputeStage'], ParentType, ContextType>;
}>;

export type HelpRequestResolvers<ContextType = Context, ParentType extends ResolversParentTypes['HelpRequest'] = ResolversParentTypes['HelpRequest'], FederationReferenceType extends FederationReferenceTypes['HelpRequest'] = FederationReferenceTypes['HelpRequest']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['HelpRequest']> | FederationReferenceType, FederationReferenceType, ContextType>;
  dispute?: Resolver<Maybe<ResolversTypes['Dispute']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type LegalAdviserResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LegalAdviser'] = ResolversParentTypes['LegalAdviser']> = ResolversObject<{
  consultations?: Resolver<Array<ResolversTypes['Consultation']>, ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  languages?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  lawFirm?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['LocalizedName'], ParentType, ContextType>;
}>;

export type LocalizedNameResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LocalizedName'] = ResolversParentTypes['LocalizedName']> = ResolversObject<{
  mn?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  zh?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MediatorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mediator'] = ResolversParentTypes['Mediator']> = ResolversObject<{
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['MediatorKind'], ParentType, ContextType>;
  languages?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['LocalizedName'], ParentType, ContextType>;
  organisation?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  escalateDispute?: Resolver<ResolversTypes['Dispute'], ParentType, ContextType, RequireFields<MutationEscalateDisputeArgs, 'date' | 'disputeId'>>;
  recordConsultation?: Resolver<ResolversTypes['Consultation'], ParentType, ContextType, RequireFields<MutationRecordConsultationArgs, 'input'>>;
  recordMediation?: Resolver<ResolversTypes['Dispute'], ParentType, ContextType, RequireFields<MutationRecordMediationArgs, 'disputeId' | 'input'>>;
  screenDispute?: Resolver<ResolversTypes['Dispute'], ParentType, ContextType, RequireFields<MutationScreenDisputeArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  dispute?: Resolver<Maybe<ResolversTypes['Dispute']>, ParentType, ContextType, RequireFields<QueryDisputeArgs, 'id'>>;
  disputeCounts?: Resolver<Array<ResolversTypes['DisputeCount']>, ParentType, ContextType, RequireFields<QueryDisputeCountsArgs, 'divisionCode'>>;
  disputes?: Resolver<ResolversTypes['DisputeConnection'], ParentType, ContextType, RequireFields<QueryDisputesArgs, 'divisionCode' | 'first'>>;
  legalAdvisers?: Resolver<Array<ResolversTypes['LegalAdviser']>, ParentType, ContextType, RequireFields<QueryLegalAdvisersArgs, 'divisionCode'>>;
  mediators?: Resolver<Array<ResolversTypes['Mediator']>, ParentType, ContextType, RequireFields<QueryMediatorsArgs, 'divisionCode'>>;
}>;

export type ResidentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Resident'] = ResolversParentTypes['Resident'], FederationReferenceType extends FederationReferenceTypes['Resident'] = FederationReferenceTypes['Resident']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Resident']> | FederationReferenceType, FederationReferenceType, ContextType>;
  disputes?: Resolver<Array<ResolversTypes['Dispute']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Consultation?: ConsultationResolvers<ContextType>;
  Dispute?: DisputeResolvers<ContextType>;
  DisputeConnection?: DisputeConnectionResolvers<ContextType>;
  DisputeCount?: DisputeCountResolvers<ContextType>;
  DisputeEdge?: DisputeEdgeResolvers<ContextType>;
  Division?: DivisionResolvers<ContextType>;
  EscalationStep?: EscalationStepResolvers<ContextType>;
  HelpRequest?: HelpRequestResolvers<ContextType>;
  LegalAdviser?: LegalAdviserResolvers<ContextType>;
  LocalizedName?: LocalizedNameResolvers<ContextType>;
  Mediator?: MediatorResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Resident?: ResidentResolvers<ContextType>;
}>;

