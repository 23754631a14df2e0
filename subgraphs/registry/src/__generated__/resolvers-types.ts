import { GraphQLResolveInfo } from 'graphql';
import { DivisionRecord, ResidentRecord, HouseholdRecord, GridWorkerRecord, PetitionRecord } from '../models';
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

export type Department =
  | 'CIVIL_AFFAIRS'
  | 'COURT'
  | 'MEDIATION'
  | 'PARTY_BUILDING'
  | 'POLICE'
  | 'REGISTRY';

export type Division = {
  __typename?: 'Division';
  children: Array<Division>;
  code: Scalars['String']['output'];
  /** TOWN divisions: the industrial park (工业园区) the town hosts, if any; null for every other division. */
  industrialPark: Maybe<LocalizedName>;
  level: DivisionLevel;
  name: LocalizedName;
  parent: Maybe<Division>;
};

export type DivisionLevel =
  | 'BANNER'
  | 'GRID'
  | 'TOWN'
  | 'VILLAGE';

export type FilePetitionInput = {
  content: Scalars['String']['input'];
  /** Where the matter is (village or grid code); defaults to the resident's grid. */
  divisionCode?: InputMaybe<Scalars['String']['input']>;
  residentId: Scalars['ID']['input'];
  subject: Scalars['String']['input'];
};

export type Gender =
  | 'FEMALE'
  | 'MALE';

export type GridWorker = {
  __typename?: 'GridWorker';
  annualStipendYuan: Scalars['Float']['output'];
  division: Division;
  employment: GridWorkerEmployment;
  id: Scalars['ID']['output'];
  name: LocalizedName;
};

export type GridWorkerEmployment =
  | 'FULL_TIME'
  | 'PART_TIME';

export type Household = {
  __typename?: 'Household';
  address: Scalars['String']['output'];
  division: Division;
  head: Resident;
  id: Scalars['ID']['output'];
  members: Array<Resident>;
  type: HouseholdType;
};

export type HouseholdConnection = {
  __typename?: 'HouseholdConnection';
  edges: Array<HouseholdEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type HouseholdEdge = {
  __typename?: 'HouseholdEdge';
  cursor: Scalars['String']['output'];
  node: Household;
};

export type HouseholdType =
  | 'FARMING'
  | 'HERDING'
  | 'URBAN';

export type LocalizedName = {
  __typename?: 'LocalizedName';
  /** Traditional Mongolian script. */
  mn: Maybe<Scalars['String']['output']>;
  zh: Scalars['String']['output'];
};

export type LocalizedNameInput = {
  mn?: InputMaybe<Scalars['String']['input']>;
  zh: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Closes a petition with its outcome: ROUTED/IN_PROGRESS → CLOSED. Nothing follows a closure. */
  closePetition: Petition;
  /** A resident's request (点单), recorded by a grid worker on their behalf. Starts FILED. */
  filePetition: Petition;
  /** Moves a resident into another household, with their relation to its head. */
  moveResident: Resident;
  /** The grid worker takes the petition in (揽收): FILED → RECEIVED. */
  receivePetition: Petition;
  /** Records progress reported by the department (全程跟踪): ROUTED/IN_PROGRESS → IN_PROGRESS. */
  recordPetitionProgress: Petition;
  /** Registers a household headed by an already registered resident, who becomes its head (户主). */
  registerHousehold: Household;
  /** Registers a resident. Gender and birth date are read from the identity number (GB 11643). */
  registerResident: Resident;
  /** Routes a received petition to the department that will handle it: RECEIVED → ROUTED. */
  routePetition: Petition;
  updateHousehold: Household;
};


export type MutationClosePetitionArgs = {
  id: Scalars['ID']['input'];
  outcome: Scalars['String']['input'];
};


export type MutationFilePetitionArgs = {
  input: FilePetitionInput;
};


export type MutationMoveResidentArgs = {
  relationToHead: Scalars['String']['input'];
  residentId: Scalars['ID']['input'];
  toHouseholdId: Scalars['ID']['input'];
};


export type MutationReceivePetitionArgs = {
  id: Scalars['ID']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
};


export type MutationRecordPetitionProgressArgs = {
  id: Scalars['ID']['input'];
  note: Scalars['String']['input'];
};


export type MutationRegisterHouseholdArgs = {
  input: RegisterHouseholdInput;
};


export type MutationRegisterResidentArgs = {
  input: RegisterResidentInput;
};


export type MutationRoutePetitionArgs = {
  department: Department;
  id: Scalars['ID']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
};


export type MutationUpdateHouseholdArgs = {
  id: Scalars['ID']['input'];
  input: UpdateHouseholdInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Petition = {
  __typename?: 'Petition';
  content: Scalars['String']['output'];
  /** The department it was routed to. */
  department: Maybe<Department>;
  division: Division;
  filedAt: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  outcome: Maybe<Scalars['String']['output']>;
  resident: Maybe<Resident>;
  status: PetitionStatus;
  subject: Scalars['String']['output'];
  /** Every step, timestamped and attributed. */
  transitions: Array<PetitionTransition>;
};

export type PetitionConnection = {
  __typename?: 'PetitionConnection';
  edges: Array<PetitionEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type PetitionEdge = {
  __typename?: 'PetitionEdge';
  cursor: Scalars['String']['output'];
  node: Petition;
};

export type PetitionStatus =
  | 'CLOSED'
  | 'FILED'
  | 'IN_PROGRESS'
  | 'RECEIVED'
  | 'ROUTED';

export type PetitionTransition = {
  __typename?: 'PetitionTransition';
  at: Scalars['String']['output'];
  /** Username of who made the step. */
  by: Scalars['String']['output'];
  department: Maybe<Department>;
  note: Maybe<Scalars['String']['output']>;
  status: PetitionStatus;
};

/**
 * The resident and household register and the four-level grid (banner → sumu/town → gacha/village → grid).
 * Every department joins on Resident and Household, and every record carries a division code.
 */
export type Query = {
  __typename?: 'Query';
  /** A division of the four-level grid by its code (6, 9, 12 or 15 digits). */
  division: Maybe<Division>;
  /** Grid workers (网格员) of the grids inside a division. */
  gridWorkers: Array<GridWorker>;
  household: Maybe<Household>;
  households: HouseholdConnection;
  petition: Maybe<Petition>;
  /** Petitions handled by proxy (信访代办) inside a division, oldest first. */
  petitions: PetitionConnection;
  /** Headline figures of the register and the four-level grid inside a division (and the caller's jurisdiction); null with FORBIDDEN, never zeros, for a role the REGISTRY policy does not let count them. */
  registryFigures: Maybe<RegistryFigures>;
  /** A resident inside the caller's jurisdiction; null otherwise (existence is not revealed). */
  resident: Maybe<Resident>;
  /** Residents registered inside a division (and the caller's jurisdiction), in register order. */
  residents: ResidentConnection;
};


/**
 * The resident and household register and the four-level grid (banner → sumu/town → gacha/village → grid).
 * Every department joins on Resident and Household, and every record carries a division code.
 */
export type QueryDivisionArgs = {
  code: Scalars['String']['input'];
};


/**
 * The resident and household register and the four-level grid (banner → sumu/town → gacha/village → grid).
 * Every department joins on Resident and Household, and every record carries a division code.
 */
export type QueryGridWorkersArgs = {
  divisionCode: Scalars['String']['input'];
};


/**
 * The resident and household register and the four-level grid (banner → sumu/town → gacha/village → grid).
 * Every department joins on Resident and Household, and every record carries a division code.
 */
export type QueryHouseholdArgs = {
  id: Scalars['ID']['input'];
};


/**
 * The resident and household register and the four-level grid (banner → sumu/town → gacha/village → grid).
 * Every department joins on Resident and Household, and every record carries a division code.
 */
export type QueryHouseholdsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  divisionCode: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * The resident and household register and the four-level grid (banner → sumu/town → gacha/village → grid).
 * Every department joins on Resident and Household, and every record carries a division code.
 */
export type QueryPetitionArgs = {
  id: Scalars['ID']['input'];
};


/**
 * The resident and household register and the four-level grid (banner → sumu/town → gacha/village → grid).
 * Every department joins on Resident and Household, and every record carries a division code.
 */
export type QueryPetitionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  divisionCode: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<PetitionStatus>;
};


/**
 * The resident and household register and the four-level grid (banner → sumu/town → gacha/village → grid).
 * Every department joins on Resident and Household, and every record carries a division code.
 */
export type QueryRegistryFiguresArgs = {
  divisionCode: Scalars['String']['input'];
};


/**
 * The resident and household register and the four-level grid (banner → sumu/town → gacha/village → grid).
 * Every department joins on Resident and Household, and every record carries a division code.
 */
export type QueryResidentArgs = {
  id: Scalars['ID']['input'];
};


/**
 * The resident and household register and the four-level grid (banner → sumu/town → gacha/village → grid).
 * Every department joins on Resident and Household, and every record carries a division code.
 */
export type QueryResidentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  divisionCode: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RegisterHouseholdInput = {
  address: Scalars['String']['input'];
  /** The grid (15-digit division code) the household lives in. */
  divisionCode: Scalars['String']['input'];
  headResidentId: Scalars['ID']['input'];
  type: HouseholdType;
};

export type RegisterResidentInput = {
  /** The grid (15-digit division code) the resident lives in. */
  divisionCode: Scalars['String']['input'];
  ethnicity: Scalars['String']['input'];
  /** Optional: the household to join, with relationToHead. */
  householdId?: InputMaybe<Scalars['ID']['input']>;
  idNumber: Scalars['String']['input'];
  languages?: InputMaybe<Array<Scalars['String']['input']>>;
  name: LocalizedNameInput;
  phone?: InputMaybe<Scalars['String']['input']>;
  relationToHead?: InputMaybe<Scalars['String']['input']>;
};

export type RegistryFigures = {
  __typename?: 'RegistryFigures';
  /** Sum of grid workers' annual stipends, yuan (the banner's grid funding). */
  gridFundingYuan: Scalars['Float']['output'];
  gridWorkers: Scalars['Int']['output'];
  grids: Scalars['Int']['output'];
  households: Scalars['Int']['output'];
  /** Industrial parks (工业园区) of the towns inside the division, counted like towns (a park belongs to the town that hosts it). */
  industrialParks: Scalars['Int']['output'];
  residents: Scalars['Int']['output'];
  /** Sumu and towns (镇/苏木) inside the division. */
  towns: Scalars['Int']['output'];
  villages: Scalars['Int']['output'];
};

export type Resident = {
  __typename?: 'Resident';
  birthDate: Scalars['String']['output'];
  division: Division;
  ethnicity: Scalars['String']['output'];
  gender: Gender;
  household: Maybe<Household>;
  id: Scalars['ID']['output'];
  /** GB 11643 resident identity number; masked (150624********123X) for roles not granted it. */
  idNumber: Scalars['String']['output'];
  /** Languages the resident speaks (ISO 639-1). */
  languages: Array<Scalars['String']['output']>;
  name: LocalizedName;
  /** Petitions this resident filed (信访代办). */
  petitions: Array<Petition>;
  phone: Maybe<Scalars['String']['output']>;
  relationToHead: Scalars['String']['output'];
};

export type ResidentConnection = {
  __typename?: 'ResidentConnection';
  edges: Array<ResidentEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ResidentEdge = {
  __typename?: 'ResidentEdge';
  cursor: Scalars['String']['output'];
  node: Resident;
};

export type UpdateHouseholdInput = {
  address?: InputMaybe<Scalars['String']['input']>;
  /** A current member who becomes the head; the previous head becomes 'other' unless moved. */
  headResidentId?: InputMaybe<Scalars['ID']['input']>;
  type?: InputMaybe<HouseholdType>;
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
  Division: Division;
  Household: Household;
  Resident: Resident;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Division:
    ( { __typename: 'Division' }
    & GraphQLRecursivePick<FederationTypes['Division'], {"code":true}> );
  Household:
    ( { __typename: 'Household' }
    & GraphQLRecursivePick<FederationTypes['Household'], {"id":true}> );
  Resident:
    ( { __typename: 'Resident' }
    & GraphQLRecursivePick<FederationTypes['Resident'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Department: Department;
  Division: ResolverTypeWrapper<DivisionRecord>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DivisionLevel: DivisionLevel;
  FilePetitionInput: FilePetitionInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Gender: Gender;
  GridWorker: ResolverTypeWrapper<GridWorkerRecord>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  GridWorkerEmployment: GridWorkerEmployment;
  Household: ResolverTypeWrapper<HouseholdRecord>;
  HouseholdConnection: ResolverTypeWrapper<Omit<HouseholdConnection, 'edges'> & { edges: Array<ResolversTypes['HouseholdEdge']> }>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  HouseholdEdge: ResolverTypeWrapper<Omit<HouseholdEdge, 'node'> & { node: ResolversTypes['Household'] }>;
  HouseholdType: HouseholdType;
  LocalizedName: ResolverTypeWrapper<LocalizedName>;
  LocalizedNameInput: LocalizedNameInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Petition: ResolverTypeWrapper<PetitionRecord>;
  PetitionConnection: ResolverTypeWrapper<Omit<PetitionConnection, 'edges'> & { edges: Array<ResolversTypes['PetitionEdge']> }>;
  PetitionEdge: ResolverTypeWrapper<Omit<PetitionEdge, 'node'> & { node: ResolversTypes['Petition'] }>;
  PetitionStatus: PetitionStatus;
  PetitionTransition: ResolverTypeWrapper<PetitionTransition>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RegisterHouseholdInput: RegisterHouseholdInput;
  RegisterResidentInput: RegisterResidentInput;
  RegistryFigures: ResolverTypeWrapper<RegistryFigures>;
  Resident: ResolverTypeWrapper<ResidentRecord>;
  ResidentConnection: ResolverTypeWrapper<Omit<ResidentConnection, 'edges'> & { edges: Array<ResolversTypes['ResidentEdge']> }>;
  ResidentEdge: ResolverTypeWrapper<Omit<ResidentEdge, 'node'> & { node: ResolversTypes['Resident'] }>;
  UpdateHouseholdInput: UpdateHouseholdInput;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Division: DivisionRecord;
  String: Scalars['String']['output'];
  FilePetitionInput: FilePetitionInput;
  ID: Scalars['ID']['output'];
  GridWorker: GridWorkerRecord;
  Float: Scalars['Float']['output'];
  Household: HouseholdRecord;
  HouseholdConnection: Omit<HouseholdConnection, 'edges'> & { edges: Array<ResolversParentTypes['HouseholdEdge']> };
  Int: Scalars['Int']['output'];
  HouseholdEdge: Omit<HouseholdEdge, 'node'> & { node: ResolversParentTypes['Household'] };
  LocalizedName: LocalizedName;
  LocalizedNameInput: LocalizedNameInput;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Petition: PetitionRecord;
  PetitionConnection: Omit<PetitionConnection, 'edges'> & { edges: Array<ResolversParentTypes['PetitionEdge']> };
  PetitionEdge: Omit<PetitionEdge, 'node'> & { node: ResolversParentTypes['Petition'] };
  PetitionTransition: PetitionTransition;
  Query: Record<PropertyKey, never>;
  RegisterHouseholdInput: RegisterHouseholdInput;
  RegisterResidentInput: RegisterResidentInput;
  RegistryFigures: RegistryFigures;
  Resident: ResidentRecord;
  ResidentConnection: Omit<ResidentConnection, 'edges'> & { edges: Array<ResolversParentTypes['ResidentEdge']> };
  ResidentEdge: Omit<ResidentEdge, 'node'> & { node: ResolversParentTypes['Resident'] };
  UpdateHouseholdInput: UpdateHouseholdInput;
}>;

export type DivisionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Division'] = ResolversParentTypes['Division'], FederationReferenceType extends FederationReferenceTypes['Division'] = FederationReferenceTypes['Division']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Division']> | FederationReferenceType, FederationReferenceType, ContextType>;
  children?: Resolver<Array<ResolversTypes['Division']>, ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  industrialPark?: Resolver<Maybe<ResolversTypes['LocalizedName']>, ParentType, ContextType>;
  level?: Resolver<ResolversTypes['DivisionLevel'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['LocalizedName'], ParentType, ContextType>;
  parent?: Resolver<Maybe<ResolversTypes['Division']>, ParentType, ContextType>;
}>;

export type GridWorkerResolvers<ContextType = Context, ParentType extends ResolversParentTypes['GridWorker'] = ResolversParentTypes['GridWorker']> = ResolversObject<{
  annualStipendYuan?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  employment?: Resolver<ResolversTypes['GridWorkerEmployment'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['LocalizedName'], ParentType, ContextType>;
}>;

export type HouseholdResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Household'] = ResolversParentTypes['Household'], FederationReferenceType extends FederationReferenceTypes['Household'] = FederationReferenceTypes['Household']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Household']> | FederationReferenceType, FederationReferenceType, ContextType>;
  address?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  head?: Resolver<ResolversTypes['Resident'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  members?: Resolver<Array<ResolversTypes['Resident']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['HouseholdType'], ParentType, ContextType>;
}>;

export type HouseholdConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['HouseholdConnection'] = ResolversParentTypes['HouseholdConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['HouseholdEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type HouseholdEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['HouseholdEdge'] = ResolversParentTypes['HouseholdEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Household'], ParentType, ContextType>;
}>;

export type LocalizedNameResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LocalizedName'] = ResolversParentTypes['LocalizedName']> = ResolversObject<{
  mn?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  zh?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  closePetition?: Resolver<ResolversTypes['Petition'], ParentType, ContextType, RequireFields<MutationClosePetitionArgs, 'id' | 'outcome'>>;
  filePetition?: Resolver<ResolversTypes['Petition'], ParentType, ContextType, RequireFields<MutationFilePetitionArgs, 'input'>>;
  moveResident?: Resolver<ResolversTypes['Resident'], ParentType, ContextType, RequireFields<MutationMoveResidentArgs, 'relationToHead' | 'residentId' | 'toHouseholdId'>>;
  receivePetition?: Resolver<ResolversTypes['Petition'], ParentType, ContextType, RequireFields<MutationReceivePetitionArgs, 'id'>>;
  recordPetitionProgress?: Resolver<ResolversTypes['Petition'], ParentType, ContextType, RequireFields<MutationRecordPetitionProgressArgs, 'id' | 'note'>>;
  registerHousehold?: Resolver<ResolversTypes['Household'], ParentType, ContextType, RequireFields<MutationRegisterHouseholdArgs, 'input'>>;
  registerResident?: Resolver<ResolversTypes['Resident'], ParentType, ContextType, RequireFields<MutationRegisterResidentArgs, 'input'>>;
  routePetition?: Resolver<ResolversTypes['Petition'], ParentType, ContextType, RequireFields<MutationRoutePetitionArgs, 'department' | 'id'>>;
  updateHousehold?: Resolver<ResolversTypes['Household'], ParentType, ContextType, RequireFields<MutationUpdateHouseholdArgs, 'id' | 'input'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type PetitionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Petition'] = ResolversParentTypes['Petition']> = ResolversObject<{
  content?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  department?: Resolver<Maybe<ResolversTypes['Department']>, ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  filedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  outcome?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  resident?: Resolver<Maybe<ResolversTypes['Resident']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PetitionStatus'], ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  transitions?: Resolver<Array<ResolversTypes['PetitionTransition']>, ParentType, ContextType>;
}>;

export type PetitionConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PetitionConnection'] = ResolversParentTypes['PetitionConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['PetitionEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type PetitionEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PetitionEdge'] = ResolversParentTypes['PetitionEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Petition'], ParentType, ContextType>;
}>;

export type PetitionTransitionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PetitionTransition'] = ResolversParentTypes['PetitionTransition']> = ResolversObject<{
  at?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  by?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  department?: Resolver<Maybe<ResolversTypes['Department']>, ParentType, ContextType>;
  note?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PetitionStatus'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  division?: Resolver<Maybe<ResolversTypes['Division']>, ParentType, ContextType, RequireFields<QueryDivisionArgs, 'code'>>;
  gridWorkers?: Resolver<Array<ResolversTypes['GridWorker']>, ParentType, ContextType, RequireFields<QueryGridWorkersArgs, 'divisionCode'>>;
  household?: Resolver<Maybe<ResolversTypes['Household']>, ParentType, ContextType, RequireFields<QueryHouseholdArgs, 'id'>>;
  households?: Resolver<ResolversTypes['HouseholdConnection'], ParentType, ContextType, RequireFields<QueryHouseholdsArgs, 'divisionCode' | 'first'>>;
  petition?: Resolver<Maybe<ResolversTypes['Petition']>, ParentType, ContextType, RequireFields<QueryPetitionArgs, 'id'>>;
  petitions?: Resolver<ResolversTypes['PetitionConnection'], ParentType, ContextType, RequireFields<QueryPetitionsArgs, 'divisionCode' | 'first'>>;
  registryFigures?: Resolver<Maybe<ResolversTypes['RegistryFigures']>, ParentType, ContextType, RequireFields<QueryRegistryFiguresArgs, 'divisionCode'>>;
  resident?: Resolver<Maybe<ResolversTypes['Resident']>, ParentType, ContextType, RequireFields<QueryResidentArgs, 'id'>>;
  residents?: Resolver<ResolversTypes['ResidentConnection'], ParentType, ContextType, RequireFields<QueryResidentsArgs, 'divisionCode' | 'first'>>;
}>;

export type RegistryFiguresResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RegistryFigures'] = ResolversParentTypes['RegistryFigures']> = ResolversObject<{
  gridFundingYuan?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  gridWorkers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  grids?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  households?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  industrialParks?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  residents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  towns?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  villages?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ResidentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Resident'] = ResolversParentTypes['Resident'], FederationReferenceType extends FederationReferenceTypes['Resident'] = FederationReferenceTypes['Resident']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Resident']> | FederationReferenceType, FederationReferenceType, ContextType>;
  birthDate?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  division?: Resolver<ResolversTypes['Division'], ParentType, ContextType>;
  ethnicity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  gender?: Resolver<ResolversTypes['Gender'], ParentType, ContextType>;
  household?: Resolver<Maybe<ResolversTypes['Household']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  languages?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['LocalizedName'], ParentType, ContextType>;
  petitions?: Resolver<Array<ResolversTypes['Petition']>, ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  relationToHead?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ResidentConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ResidentConnection'] = ResolversParentTypes['ResidentConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ResidentEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ResidentEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ResidentEdge'] = ResolversParentTypes['ResidentEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Resident'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Division?: DivisionResolvers<ContextType>;
  GridWorker?: GridWorkerResolvers<ContextType>;
  Household?: HouseholdResolvers<ContextType>;
  HouseholdConnection?: HouseholdConnectionResolvers<ContextType>;
  HouseholdEdge?: HouseholdEdgeResolvers<ContextType>;
  LocalizedName?: LocalizedNameResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Petition?: PetitionResolvers<ContextType>;
  PetitionConnection?: PetitionConnectionResolvers<ContextType>;
  PetitionEdge?: PetitionEdgeResolvers<ContextType>;
  PetitionTransition?: PetitionTransitionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RegistryFigures?: RegistryFiguresResolvers<ContextType>;
  Resident?: ResidentResolvers<ContextType>;
  ResidentConnection?: ResidentConnectionResolvers<ContextType>;
  ResidentEdge?: ResidentEdgeResolvers<ContextType>;
}>;

