import {
  getNamedType,
  GraphQLError,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { assertDivisionCode } from '@anmulong/platform';

/*
 * The shapes every subgraph accepts for ids and division codes, checked at the gateway before any
 * subgraph is called: a wildcard or a regular expression (`*`, `.*`, `^1506`) where an id or a
 * division code belongs is refused here, naming the argument, instead of being sent on to each
 * department to refuse (or to look up) in turn.
 */

/** What an `ID` is on this platform: store ids, cursors' ids, usernames' subjects. */
const ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;
const isDivisionArgument = (field: string, argument: string) => argument === 'divisionCode' || (field === 'division' && argument === 'code');

interface Shapes {
  /** A literal of the wrong shape in the document, found once per document. */
  literal: GraphQLError | null;
  /** Variables whose values must be ids or division codes. */
  ids: Set<string>;
  divisionCodes: Set<string>;
}

function refusal(argument: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argumentName: argument, http: { status: 400 } } });
}

function idRefusal(argument: string, value: unknown): GraphQLError {
  return refusal(argument, `${argument} must be an id (letters, digits, - and _, at most 64); got ${JSON.stringify(value)}: wildcards and patterns are not searched`);
}

/** The subgraphs' own check of a division code's shape (platform/src/divisions.ts), as a refusal here. */
function divisionRefusal(argument: string, value: unknown): GraphQLError | null {
  try {
    assertDivisionCode(value, argument);
    return null;
  } catch (e) {
    return refusal(argument, (e as Error).message);
  }
}

const isId = (v: unknown) => (typeof v === 'string' && ID_SHAPE.test(v)) || Number.isSafeInteger(v);

function shapesOf(schema: GraphQLSchema, document: DocumentNode): Shapes {
  const shapes: Shapes = { literal: null, ids: new Set(), divisionCodes: new Set() };
  const typeInfo = new TypeInfo(schema);
  const check = (value: ValueNode, argument: string, division: boolean, id: boolean) => {
    if (value.kind === Kind.VARIABLE) {
      if (division) shapes.divisionCodes.add(value.name.value);
      else if (id) shapes.ids.add(value.name.value);
    } else if (value.kind === Kind.LIST) {
      for (const v of value.values) check(v, argument, division, id);
    } else if (value.kind === Kind.STRING && !shapes.literal) {
      if (division) shapes.literal = divisionRefusal(argument, value.value);
      else if (id && !isId(value.value)) shapes.literal = idRefusal(argument, value.value);
    }
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const def = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        if (!def || !field) return;
        const division = isDivisionArgument(field.name, node.name.value);
        const id = getNamedType(def.type).name === 'ID';
        if (division || id) check(node.value, node.name.value, division, id);
      },
    }),
  );
  return shapes;
}

/** Refuses ids and division codes of the wrong shape (literal or in variables) before planning. */
export function argumentShapePlugin(): ApolloServerPlugin<any> {
  const known = new WeakMap<DocumentNode, Shapes>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          let shapes = known.get(document);
          if (!shapes) known.set(document, (shapes = shapesOf(schema, document)));
          if (shapes.literal) throw shapes.literal;
          const variables = request.variables ?? {};
          for (const name of shapes.divisionCodes) {
            const v = variables[name];
            const refused = v === undefined || v === null ? null : divisionRefusal(`$${name}`, v);
            if (refused) throw refused;
          }
          for (const name of shapes.ids) {
            const v = variables[name];
            for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== null && !isId(one)) throw idRefusal(`$${name}`, one);
          }
        },
      };
    },
  };
}
