/*
 * GraphQL operations and the client call the benchmarks share (bench/gateway/, bench/soak.ts, bench/cost.ts, bench/flood.ts).
 */
import { DEPARTMENT_TABLE } from '@anmulong/platform';

export interface GqlResult {
  status: number;
  data?: any;
  errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[];
}

export async function gql(url: string, headers: Record<string, string>, query: string, variables: object = {}): Promise<GqlResult> {
  return post(url, headers, JSON.stringify({ query, variables }));
}

/** A request body as it is (the benchmark's workloads are prepared bodies). */
export async function post(url: string, headers: Record<string, string>, body: string): Promise<GqlResult> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  try {
    return { status: res.status, ...(JSON.parse(text) as object) };
  } catch {
    return { status: res.status, errors: [{ message: text.slice(0, 300) }] };
  }
}

/**
 * Operation (a) is assembled from one fragment per department (its `householdView` in the table
 * of departments); a department joins when its subgraph runs and its fragment answers without errors.
 */
export const DEPARTMENT_FRAGMENTS: { subgraph: string; resident?: string; household?: string }[] = DEPARTMENT_TABLE.map((d) => ({ subgraph: d.subgraph, ...d.householdView }));

const fragName = (subgraph: string, on: string) => `${subgraph.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}${on}`;

export function householdQuery(departments: string[]): string {
  const frags = DEPARTMENT_FRAGMENTS.filter((d) => departments.includes(d.subgraph));
  const spread = (on: 'Resident' | 'Household') =>
    frags.filter((d) => (on === 'Resident' ? d.resident : d.household)).map((d) => `...${fragName(d.subgraph, on)}`).join(' ');
  const defs = frags
    .flatMap((d) => [
      d.resident ? `fragment ${fragName(d.subgraph, 'Resident')} on Resident { ${d.resident} }` : '',
      d.household ? `fragment ${fragName(d.subgraph, 'Household')} on Household { ${d.household} }` : '',
    ])
    .filter(Boolean)
    .join('\n');
  return `query HouseholdView($id: ID!) {
  household(id: $id) {
    id address type division { code name { zh mn } parent { code name { zh } } }
    head { id name { zh mn } }
    members {
      id idNumber name { zh mn } gender birthDate ethnicity phone relationToHead languages
      ${spread('Resident')}
    }
    ${spread('Household')}
  }
}
${defs}`;
}

export function chainQuery(departments: string[]): string {
  const court = departments.includes('court') ? 'courtCase { id caseNumber status filedOn hearings { date mode } judge { id name { zh mn } languages } }' : '';
  const dispute = departments.includes('mediation') ? `dispute { id category stage status ${court} }` : '';
  return `query ResidentChain($id: ID!) {
  resident(id: $id) {
    id name { zh mn } idNumber
    helpRequests { id category status reportedAt ${dispute} }
  }
}`;
}

export const PAGE_QUERY = `query HouseholdPage($code: String!, $after: String) {
  households(divisionCode: $code, first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id address type
      head { id name { zh mn } }
      members { id name { zh mn } gender birthDate relationToHead phone }
    } }
  }
}`;
