import { GraphQLResolveInfo } from 'graphql';
import { PartyBranchRecord, JointBuildingUnitRecord, PartyMemberRecord, CentralHouseholdRecord, ModelHouseholdRecord, CooperativeRecord, AidProjectRecord, FiguresRecord, ResidentRef, HouseholdRef, DivisionRef } from '../models';
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

/** An aid project of a firm in a gacha/village (百企帮百村: 100 firms help 100 villages). */
export type AidProject = {
  __typename?: 'AidProject';
  budgetYuan: Scalars['Float']['output'];
  cooperative: Maybe<Cooperative>;
  division: Division;
  enterprise: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  jobsCreated: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  /** YYYY-MM-DD */
  startedOn: Scalars['String']['output'];
};

export type AttachJointBuildingUnitInput = {
  branchId: Scalars['ID']['input'];
  /** YYYY-MM-DD; defaults to today. */
  joinedOn?: InputMaybe<Scalars['String']['input']>;
  kind: JointBuildingUnitKind;
  name: Scalars['String']['input'];
};

/** A party-member central household (党员中心户) and the households around it that it looks after. */
export type CentralHousehold = {
  __typename?: 'CentralHousehold';
  branch: PartyBranch;
  /** YYYY-MM-DD */
  designatedOn: Scalars['String']['output'];
  division: Division;
  household: Household;
  id: Scalars['ID']['output'];
  linkedHouseholds: Array<Household>;
  /** The party member who heads the work of the central household. */
  partyMember: Resident;
};

/** A cooperative of the development fortress: party branch + leading enterprise + cooperative + herder households. */
export type Cooperative = {
  __typename?: 'Cooperative';
  aidProjects: Array<AidProject>;
  branch: PartyBranch;
  business: Scalars['String']['output'];
  division: Division;
  /** YYYY-MM-DD */
  foundedOn: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  leadingEnterprise: Scalars['String']['output'];
  memberHouseholdCount: Scalars['Int']['output'];
  memberHouseholds: Array<Household>;
  name: Scalars['String']['output'];
};

export type DesignateCentralHouseholdInput = {
  /** YYYY-MM-DD; defaults to today. */
  designatedOn?: InputMaybe<Scalars['String']['input']>;
  /** A registry household id; one of its members must be a party member. */
  householdId: Scalars['ID']['input'];
  /** The party member who heads it; defaults to the first party member of the household. */
  partyMemberResidentId?: InputMaybe<Scalars['ID']['input']>;
};

export type Division = {
  __typename?: 'Division';
  code: Scalars['String']['output'];
};

export type EnrolPartyMemberInput = {
  /** Defaults to the branch of the resident's village; when given, it must be that branch. */
  branchId?: InputMaybe<Scalars['ID']['input']>;
  /** YYYY-MM-DD, not in the future; the resident was 18 or older. */
  joinedOn: Scalars['String']['input'];
  /** A registry resident id. */
  residentId: Scalars['ID']['input'];
};

export type Household = {
  __typename?: 'Household';
  /** The party-member central household this household is linked to (null for a central household itself, or when not linked). */
  centralHousehold: Maybe<Household>;
  id: Scalars['ID']['output'];
  /** This household is a party-member central household (党员中心户). */
  isCentralHousehold: Scalars['Boolean']['output'];
  /** One of the Anmulong model households (安睦隆典型户). */
  isModelHousehold: Scalars['Boolean']['output'];
  /** For a central household: the households it looks after. */
  linkedHouseholds: Array<Household>;
  /** The year it was named a model household and why; null when it is not one. */
  modelHousehold: Maybe<ModelHouseholdRecognition>;
};

/** A unit that joined a village branch in joint building (融合党建). */
export type JointBuildingUnit = {
  __typename?: 'JointBuildingUnit';
  branch: PartyBranch;
  division: Division;
  id: Scalars['ID']['output'];
  /** YYYY-MM-DD */
  joinedOn: Scalars['String']['output'];
  kind: JointBuildingUnitKind;
  name: Scalars['String']['output'];
};

export type JointBuildingUnitKind =
  /** 人民法庭 (连心法庭) */
  | 'COURT_TRIBUNAL'
  /** 司法所 */
  | 'JUDICIAL_OFFICE'
  /** 律师事务所, 法律服务所 */
  | 'LEGAL_ORGANISATION'
  | 'OTHER'
  /** 派出所 / 警务室 */
  | 'POLICE_STATION'
  /** 旗直部门, 学校, 医院 */
  | 'PUBLIC_INSTITUTION'
  /** 驻地企业 */
  | 'RESIDENT_ENTERPRISE';

/** An Anmulong model household (安睦隆典型户): the year it was named and why. */
export type ModelHouseholdRecognition = {
  __typename?: 'ModelHouseholdRecognition';
  citation: Scalars['String']['output'];
  division: Division;
  household: Household;
  id: Scalars['ID']['output'];
  year: Scalars['Int']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Attaches a unit (police station, judicial office, legal organisation, resident enterprise, ...) to a branch for joint building. */
  attachJointBuildingUnit: JointBuildingUnit;
  /** Designates a household with a party member among its members as a party-member central household (党员中心户). */
  designateCentralHousehold: CentralHousehold;
  /** Enrols a registered resident (18 or older when joining) as a party member of their village's branch. */
  enrolPartyMember: PartyMember;
  /** Links a household to a central household of the same village, which then looks after it. */
  linkHouseholdToCentral: Household;
  /** Names a household an Anmulong model household (安睦隆典型户) of a year, with the reason; once per household. */
  nameModelHousehold: ModelHouseholdRecognition;
  /** Records an aid project of a firm in a gacha/village (百企帮百村). */
  recordAidProject: AidProject;
};


export type MutationAttachJointBuildingUnitArgs = {
  input: AttachJointBuildingUnitInput;
};


export type MutationDesignateCentralHouseholdArgs = {
  input: DesignateCentralHouseholdInput;
};


export type MutationEnrolPartyMemberArgs = {
  input: EnrolPartyMemberInput;
};


export type MutationLinkHouseholdToCentralArgs = {
  centralHouseholdId: Scalars['ID']['input'];
  householdId: Scalars['ID']['input'];
};


export type MutationNameModelHouseholdArgs = {
  citation: Scalars['String']['input'];
  householdId: Scalars['ID']['input'];
  year: Scalars['Int']['input'];
};


export type MutationRecordAidProjectArgs = {
  input: RecordAidProjectInput;
};

/** A village party branch (嘎查村党支部). */
export type PartyBranch = {
  __typename?: 'PartyBranch';
  cooperative: Maybe<Cooperative>;
  /** The village (gacha/village/community) of the branch. */
  division: Division;
  /** YYYY-MM-DD */
  foundedOn: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  jointBuildingUnits: Array<JointBuildingUnit>;
  memberCount: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  secretary: Maybe<Resident>;
};

export type PartyBuildingFigures = {
  __typename?: 'PartyBuildingFigures';
  aidBudgetYuan: Scalars['Float']['output'];
  aidProjects: Scalars['Int']['output'];
  centralHouseholds: Scalars['Int']['output'];
  cooperatives: Scalars['Int']['output'];
  divisionCode: Scalars['String']['output'];
  jobsCreated: Scalars['Int']['output'];
  jointBuildingUnits: Scalars['Int']['output'];
  /** Households looked after by a central household. */
  linkedHouseholds: Scalars['Int']['output'];
  modelHouseholds: Scalars['Int']['output'];
  partyBranches: Scalars['Int']['output'];
  partyMembers: Scalars['Int']['output'];
};

export type PartyMember = {
  __typename?: 'PartyMember';
  branch: PartyBranch;
  division: Division;
  household: Maybe<Household>;
  id: Scalars['ID']['output'];
  /** YYYY-MM-DD */
  joinedOn: Scalars['String']['output'];
  resident: Resident;
};

export type PartyMembership = {
  __typename?: 'PartyMembership';
  /** Name of the branch (e.g. 巴音乌素嘎查党支部). */
  branch: Scalars['String']['output'];
  branchRef: Maybe<PartyBranch>;
  /** The member's household is a party-member central household. */
  isCentralHousehold: Scalars['Boolean']['output'];
  /** YYYY-MM-DD */
  joinedOn: Scalars['String']['output'];
};

/**
 * Integrated party building (融合党建): village party branches and the units that join them in joint
 * building, party members, party-member central households (党员中心户) and the households each looks
 * after, the 39 Anmulong model households (安睦隆典型户), and the development fortress (发展堡垒村):
 * a cooperative in every gacha, aid projects of "100 firms help 100 villages" and the jobs they created.
 */
export type Query = {
  __typename?: 'Query';
  /** Aid projects (百企帮百村) inside a division, oldest first. */
  aidProjects: Array<AidProject>;
  /** Party-member central households (党员中心户) inside a division, with the households each looks after. */
  centralHouseholds: Array<CentralHousehold>;
  /** Cooperatives (one per gacha/village) inside a division, by village code. */
  cooperatives: Array<Cooperative>;
  /** The Anmulong model households (安睦隆典型户) inside a division (and the caller's jurisdiction), in order of naming. */
  modelHouseholds: Array<Household>;
  partyBranch: Maybe<PartyBranch>;
  /** Village party branches inside a division (and the caller's jurisdiction), by village code. */
  partyBranches: Array<PartyBranch>;
  /** Headline figures of party building inside a division (and the caller's jurisdiction); null with FORBIDDEN, never zeros, for a role the PARTY_BUILDING policy does not let count them. */
  partyBuildingFigures: Maybe<PartyBuildingFigures>;
};


/**
 * Integrated party building (融合党建): village party branches and the units that join them in joint
 * building, party members, party-member central households (党员中心户) and the households each looks
 * after, the 39 Anmulong model households (安睦隆典型户), and the development fortress (发展堡垒村):
 * a cooperative in every gacha, aid projects of "100 firms help 100 villages" and the jobs they created.
 */
export type QueryAidProjectsArgs = {
  divisionCode: Scalars['String']['input'];
};


/**
 * Integrated party building (融合党建): village party branches and the units that join them in joint
 * building, party members, party-member central households (党员中心户) and the households each looks
 * after, the 39 Anmulong model households (安睦隆典型户), and the development fortress (发展堡垒村):
 * a cooperative in every gacha, aid projects of "100 firms help 100 villages" and the jobs they created.
 */
export type QueryCentralHouseholdsArgs = {
  divisionCode: Scalars['String']['input'];
};


/**
 * Integrated party building (融合党建): village party branches and the units that join them in joint
 * building, party members, party-member central households (党员中心户) and the households each looks
 * after, the 39 Anmulong model households (安睦隆典型户), and the development fortress (发展堡垒村):
 * a cooperative in every gacha, aid projects of "100 firms help 100 villages" and the jobs they created.
 */
export type QueryCooperativesArgs = {
  divisionCode: Scalars['String']['input'];
};


/**
 * Integrated party building (融合党建): village party branches and the units that join them in joint
 * building, party members, party-member central households (党员中心户) and the households each looks
 * after, the 39 Anmulong model households (安睦隆典型户), and the development fortress (发展堡垒村):
 * a cooperative in every gacha, aid projects of "100 firms help 100 villages" and the jobs they created.
 */
export type QueryModelHouseholdsArgs = {
  divisionCode: Scalars['String']['input'];
};


/**
 * Integrated party building (融合党建): village party branches and the units that join them in joint
 * building, party members, party-member central households (党员中心户) and the households each looks
 * after, the 39 Anmulong model households (安睦隆典型户), and the development fortress (发展堡垒村):
 * a cooperative in every gacha, aid projects of "100 firms help 100 villages" and the jobs they created.
 */
export type QueryPartyBranchArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Integrated party building (融合党建): village party branches and the units that join them in joint
 * building, party members, party-member central households (党员中心户) and the households each looks
 * after, the 39 Anmulong model households (安睦隆典型户), and the development fortress (发展堡垒村):
 * a cooperative in every gacha, aid projects of "100 firms help 100 villages" and the jobs they created.
 */
export type QueryPartyBranchesArgs = {
  divisionCode: Scalars['String']['input'];
};


/**
 * Integrated party building (融合党建): village party branches and the units that join them in joint
 * building, party members, party-member central households (党员中心户) and the households each looks
 * after, the 39 Anmulong model households (安睦隆典型户), and the development fortress (发展堡垒村):
 * a cooperative in every gacha, aid projects of "100 firms help 100 villages" and the jobs they created.
 */
export type QueryPartyBuildingFiguresArgs = {
  divisionCode: Scalars['String']['input'];
};

export type RecordAidProjectInput = {
  budgetYuan: Scalars['Float']['input'];
  /** The village's cooperative that runs it, if any. */
  cooperativeId?: InputMaybe<Scalars['ID']['input']>;
  /** A gacha/village (12-digit code). */
  divisionCode: Scalars['String']['input'];
  enterprise: Scalars['String']['input'];
  jobsCreated: Scalars['Int']['input'];
  name: Scalars['String']['input'];
  /** YYYY-MM-DD */
  startedOn: Scalars['String']['input'];
};

export type Resident = {
  __typename?: 'Resident';
  id: Scalars['ID']['output'];
  /** The resident's party membership; null when not a party member (or outside the caller's jurisdiction). */
  partyMembership: Maybe<PartyMembership>;
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
  Household: Household;
  Resident: Resident;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Household:
    ( { __typename: 'Household' }
    & GraphQLRecursivePick<FederationTypes['Household'], {"id":true}> );
  Resident:
    ( { __typename: 'Resident' }
    & GraphQLRecursivePick<FederationTypes['Resident'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AidProject: ResolverTypeWrapper<AidProjectRecord>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  AttachJointBuildingUnitInput: AttachJointBuildingUnitInput;
  CentralHousehold: ResolverTypeWrapper<CentralHouseholdRecord>;
  Cooperative: ResolverTypeWrapper<CooperativeRecord>;
  DesignateCentralHouseholdInput: DesignateCentralHouseholdInput;
  Division: ResolverTypeWrapper<DivisionRef>;
  EnrolPartyMemberInput: EnrolPartyMemberInput;
  Household: ResolverTypeWrapper<HouseholdRef>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  JointBuildingUnit: ResolverTypeWrapper<JointBuildingUnitRecord>;
  JointBuildingUnitKind: JointBuildingUnitKind;
  ModelHouseholdRecognition: ResolverTypeWrapper<ModelHouseholdRecord>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PartyBranch: ResolverTypeWrapper<PartyBranchRecord>;
  PartyBuildingFigures: ResolverTypeWrapper<FiguresRecord>;
  PartyMember: ResolverTypeWrapper<PartyMemberRecord>;
  PartyMembership: ResolverTypeWrapper<PartyMemberRecord>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordAidProjectInput: RecordAidProjectInput;
  Resident: ResolverTypeWrapper<ResidentRef>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AidProject: AidProjectRecord;
  Float: Scalars['Float']['output'];
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  AttachJointBuildingUnitInput: AttachJointBuildingUnitInput;
  CentralHousehold: CentralHouseholdRecord;
  Cooperative: CooperativeRecord;
  DesignateCentralHouseholdInput: DesignateCentralHouseholdInput;
  Division: DivisionRef;
  EnrolPartyMemberInput: EnrolPartyMemberInput;
  Household: HouseholdRef;
  Boolean: Scalars['Boolean']['output'];
  JointBuildingUnit: JointBuildingUnitRecord;
  ModelHouseholdRecognition: ModelHouseholdRecord;
  Mutation: Record<PropertyKey, never>;
  PartyBranch: PartyBranchRecord;
  PartyBuildingFigures: FiguresRecord;
  PartyMember: PartyMemberRecord;
  PartyMembership: PartyMemberRecord;
  Query: Record<PropertyKey, never>;
  RecordAidProjectInput: RecordAidProjectInput;
  Resident: ResidentRef;
}>;

export type AidProjectResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AidProject'] = ResolversParentTypes['AidProject']> = ResolversObject<{
  budgetYuan?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  cooperative?: Resolver<Maybe<ResolversTypes['Cooperative']>, ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  enterprise?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  jobsCreated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  startedOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CentralHouseholdResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CentralHousehold'] = ResolversParentTypes['CentralHousehold']> = ResolversObject<{
  branch?: Resolver<ResolversTypes['PartyBranch'], ParentType, ContextType>;
  designatedOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  household?: Resolver<ResolversTypes['Household'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  linkedHouseholds?: Resolver<Array<ResolversTypes['Household']>, ParentType, ContextType>;
  partyMember?: Resolver<ResolversTypes['Resident'], ParentType, ContextType>;
}>;

export type CooperativeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Cooperative'] = ResolversParentTypes['Cooperative']> = ResolversObject<{
  aidProjects?: Resolver<Array<ResolversTypes['AidProject']>, ParentType, ContextType>;
  branch?: Resolver<ResolversTypes['PartyBranch'], ParentType, ContextType>;
  business?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  foundedOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  leadingEnterprise?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  memberHouseholdCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  memberHouseholds?: Resolver<Array<ResolversTypes['Household']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type DivisionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Division'] = ResolversParentTypes['Division']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type HouseholdResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Household'] = ResolversParentTypes['Household'], FederationReferenceType extends FederationReferenceTypes['Household'] = FederationReferenceTypes['Household']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Household']> | FederationReferenceType, FederationReferenceType, ContextType>;
  centralHousehold?: Resolver<Maybe<ResolversTypes['Household']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isCentralHousehold?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  isModelHousehold?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  linkedHouseholds?: Resolver<Array<ResolversTypes['Household']>, ParentType, ContextType>;
  modelHousehold?: Resolver<Maybe<ResolversTypes['ModelHouseholdRecognition']>, ParentType, ContextType>;
}>;

export type JointBuildingUnitResolvers<ContextType = Context, ParentType extends ResolversParentTypes['JointBuildingUnit'] = ResolversParentTypes['JointBuildingUnit']> = ResolversObject<{
  branch?: Resolver<ResolversTypes['PartyBranch'], ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  joinedOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['JointBuildingUnitKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ModelHouseholdRecognitionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ModelHouseholdRecognition'] = ResolversParentTypes['ModelHouseholdRecognition']> = ResolversObject<{
  citation?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  household?: Resolver<ResolversTypes['Household'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  year?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  attachJointBuildingUnit?: Resolver<ResolversTypes['JointBuildingUnit'], ParentType, ContextType, RequireFields<MutationAttachJointBuildingUnitArgs, 'input'>>;
  designateCentralHousehold?: Resolver<ResolversTypes['CentralHousehold'], ParentType, ContextType, RequireFields<MutationDesignateCentralHouseholdArgs, 'input'>>;
  enrolPartyMember?: Resolver<ResolversTypes['PartyMember'], ParentType, ContextType, RequireFields<MutationEnrolPartyMemberArgs, 'input'>>;
  linkHouseholdToCentral?: Resolver<ResolversTypes['Household'], ParentType, ContextType, RequireFields<MutationLinkHouseholdToCentralArgs, 'centralHouseholdId' | 'householdId'>>;
  nameModelHousehold?: Resolver<ResolversTypes['ModelHouseholdRecognition'], ParentType, ContextType, RequireFields<MutationNameModelHouseholdArgs, 'citation' | 'householdId' | 'year'>>;
  recordAidProject?: Resolver<ResolversTypes['AidProject'], ParentType, ContextType, RequireFields<MutationRecordAidProjectArgs, 'input'>>;
}>;

export type PartyBranchResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PartyBranch'] = ResolversParentTypes['PartyBranch']> = ResolversObject<{
  cooperative?: Resolver<Maybe<ResolversTypes['Cooperative']>, ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  foundedOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  jointBuildingUnits?: Resolver<Array<ResolversTypes['JointBuildingUnit']>, ParentType, ContextType>;
  memberCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  secretary?: Resolver<Maybe<ResolversTypes['Resident']>, ParentType, ContextType>;
}>;

export type PartyBuildingFiguresResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PartyBuildingFigures'] = ResolversParentTypes['PartyBuildingFigures']> = ResolversObject<{
  aidBudgetYuan?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  aidProjects?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  centralHouseholds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cooperatives?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  divisionCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  jobsCreated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  jointBuildingUnits?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  linkedHouseholds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  modelHouseholds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  partyBranches?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  partyMembers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type PartyMemberResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PartyMember'] = ResolversParentTypes['PartyMember']> = ResolversObject<{
  branch?: Resolver<ResolversTypes['PartyBranch'], ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  household?: Resolver<Maybe<ResolversTypes['Household']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  joinedOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  resident?: Resolver<ResolversTypes['Resident'], ParentType, ContextType>;
}>;

export type PartyMembershipResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PartyMembership'] = ResolversParentTypes['PartyMembership']> = ResolversObject<{
  branch?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  branchRef?: Resolver<Maybe<ResolversTypes['PartyBranch']>, ParentType, ContextType>;
  isCentralHousehold?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  joinedOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  aidProjects?: Resolver<Array<ResolversTypes['AidProject']>, ParentType, ContextType, RequireFields<QueryAidProjectsArgs, 'divisionCode'>>;
  centralHouseholds?: Resolver<Array<ResolversTypes['CentralHousehold']>, ParentType, ContextType, RequireFields<QueryCentralHouseholdsArgs, 'divisionCode'>>;
  cooperatives?: Resolver<Array<ResolversTypes['Cooperative']>, ParentType, ContextType, RequireFields<QueryCooperativesArgs, 'divisionCode'>>;
  modelHouseholds?: Resolver<Array<ResolversTypes['Household']>, ParentType, ContextType, RequireFields<QueryModelHouseholdsArgs, 'divisionCode'>>;
  partyBranch?: Resolver<Maybe<ResolversTypes['PartyBranch']>, ParentType, ContextType, RequireFields<QueryPartyBranchArgs, 'id'>>;
  partyBranches?: Resolver<Array<ResolversTypes['PartyBranch']>, ParentType, ContextType, RequireFields<QueryPartyBranchesArgs, 'divisionCode'>>;
  partyBuildingFigures?: Resolver<Maybe<ResolversTypes['PartyBuildingFigures']>, ParentType, ContextType, RequireFields<QueryPartyBuildingFiguresArgs, 'divisionCode'>>;
}>;

export type ResidentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Resident'] = ResolversParentTypes['Resident'], FederationReferenceType extends FederationReferenceTypes['Resident'] = FederationReferenceTypes['Resident']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Resident']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  partyMembership?: Resolver<Maybe<ResolversTypes['PartyMembership']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  AidProject?: AidProjectResolvers<ContextType>;
  CentralHousehold?: CentralHouseholdResolvers<ContextType>;
  Cooperative?: CooperativeResolvers<ContextType>;
  Division?: DivisionResolvers<ContextType>;
  Household?: HouseholdResolvers<ContextType>;
  JointBuildingUnit?: JointBuildingUnitResolvers<ContextType>;
  ModelHouseholdRecognition?: ModelHouseholdRecognitionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PartyBranch?: PartyBranchResolvers<ContextType>;
  PartyBuildingFigures?: PartyBuildingFiguresResolvers<ContextType>;
  PartyMember?: PartyMemberResolvers<ContextType>;
  PartyMembership?: PartyMembershipResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Resident?: ResidentResolvers<ContextType>;
}>;

