import { type ExecutionResult, GraphQLError, type GraphQLFormattedError, getOperationAST, parse, specifiedRules, validate, type ValidationRule } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { type ApiKeyAuthenticator, TenancyException } from '@ringflow/tenancy';
import { formatGraphqlError } from '../graphql/graphql-errors';
import { QUERY_LIMITS } from '../graphql/query-limits';

/** The most subscriptions one WebSocket connection may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 10;

interface ConnectionParams {
  authorization?: unknown;
}

const refusal = (message: string, code = 'BAD_USER_INPUT') => [new GraphQLError(message, { extensions: { code } })];

/** Apollo's `hideSchemaDetailsFromClientErrors` for the websocket: the hint at the end of a validation message names schema it was not given. */
const SCHEMA_HINT = / ?Did you mean .+\?$/;

/** Validation errors as POST /graphql answers them: coded GRAPHQL_VALIDATION_FAILED (not "internal error"), hints removed in production. */
function validationErrors(errors: readonly GraphQLError[], hideSchemaDetails: boolean): GraphQLError[] {
  return errors.map((error) => new GraphQLError(hideSchemaDetails ? error.message.replace(SCHEMA_HINT, '') : error.message, {
    nodes: error.nodes,
    extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
  }));
}

function formatted(errors: readonly (GraphQLError | GraphQLFormattedError)[]): GraphQLFormattedError[] {
  return errors.map((error) => formatGraphqlError(error instanceof GraphQLError ? error.toJSON() : error, error));
}

/**
 * graphql-ws options for the admin API (served by the Apollo driver's subscription service on the Fastify
 * HTTP server, path /graphql). The key comes in `connectionParams.authorization` ("Bearer <key>") and is
 * checked when the connection opens (close 4403 Forbidden when it is missing or invalid); each subscription
 * then passes the same guard as a query (role rules, `@Allow`). Only subscriptions are served here, under the
 * same validation limits as POST /graphql, at most MAX_SUBSCRIPTIONS_PER_CONNECTION at a time.
 */
export function graphqlWsOptions(authenticator: ApiKeyAuthenticator, validationRules: readonly ValidationRule[], options: { hideSchemaDetails: boolean }): Partial<ServerOptions> {
  const authorizationOf = (params: ConnectionParams | undefined) => (typeof params?.authorization === 'string' ? params.authorization : undefined);
  return {
    onConnect: async (ctx) => {
      try {
        await authenticator.authenticate(authorizationOf(ctx.connectionParams as ConnectionParams | undefined));
        return true;
      } catch (error) {
        if (error instanceof TenancyException) return false;
        throw error;
      }
    },
    // The guard reads the key from here for every subscription, as it reads the header of a POST.
    context: (ctx) => ({ req: { headers: { authorization: authorizationOf(ctx.connectionParams as ConnectionParams | undefined) } } }),
    onSubscribe: (ctx, _id, payload) => {
      if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
        return refusal(`a connection holds at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions; complete one first`);
      }
      let document;
      try {
        document = parse(payload.query, { maxTokens: QUERY_LIMITS.maxTokens });
      } catch (error) {
        return refusal((error as Error).message, 'GRAPHQL_PARSE_FAILED');
      }
      const operation = getOperationAST(document, payload.operationName);
      if (operation && operation.operation !== 'subscription') {
        return refusal('only subscriptions are served over WebSocket; send queries and mutations to POST /graphql', 'GRAPHQL_VALIDATION_FAILED');
      }
      return undefined;
    },
    validate: (schema, document) => validationErrors(validate(schema, document, [...specifiedRules, ...validationRules]), options.hideSchemaDetails),
    onNext: (_ctx, _id, _payload, _args, result) => {
      const { errors } = result as ExecutionResult;
      return errors?.length ? { ...result, errors: formatted(errors) } : undefined;
    },
    onError: (_ctx, _id, _payload, errors) => formatted(errors),
  };
}
