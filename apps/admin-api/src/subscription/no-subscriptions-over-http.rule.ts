import { GraphQLError, type ValidationRule } from 'graphql';

/** POST /graphql cannot stream: a subscription sent there is refused before it runs (it is served over WebSocket). */
export const noSubscriptionsOverHttp: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation === 'subscription') {
      context.reportError(new GraphQLError('subscriptions are served over WebSocket (graphql-ws) at this path, not over POST', { nodes: [node] }));
    }
  },
});
