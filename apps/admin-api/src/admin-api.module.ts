import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ClsModule } from 'nestjs-cls';
import { CampaignDialingModule, CampaignModule, CouponTrackingModule } from '@ringflow/campaign';
import { secretsKeyBytes } from '@ringflow/config';
import { DataStoresModule, dataStoresReadiness } from '@ringflow/database';
import { FlowStoreModule } from '@ringflow/flow-store';
import { ObservabilityModule } from '@ringflow/observability';
import { SessionModule } from '@ringflow/session';
import { ApiKeyAuthenticator, TenancyModule } from '@ringflow/tenancy';
import type { AdminApiConfig } from './admin-api.config';
import { adminApiResolvers } from './admin-api.resolvers';
import { adminApiServices } from './admin-api.services';
import { smtpSettingsProviders } from './smtp-settings/smtp-settings.providers';
import { DomainErrorFilter, formatGraphqlError } from './graphql/graphql-errors';
import { queryProtection } from './graphql/query-limits';
import { QueueDashboardModule } from './queue-dashboard/queue-dashboard.module';
import { noSubscriptionsOverHttp } from './subscription/no-subscriptions-over-http.rule';
import { graphqlWsOptions } from './subscription/subscription-server';

@Module({})
export class AdminApiModule {
  static forRoot(config: AdminApiConfig): DynamicModule {
    const secretsKey = secretsKeyBytes(config.SECRETS_KEY)!;
    const namespace = config.QUEUE_NAMESPACE;
    return {
      module: AdminApiModule,
      imports: [
        ClsModule.forRoot({ global: true, middleware: { mount: true, generateId: true, setup: (cls) => cls.set('requestId', cls.getId()) } }),
        DataStoresModule.forRoot({ app: 'admin-api', databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL }),
        ObservabilityModule.forRoot({ app: 'admin-api', http: true, readiness: dataStoresReadiness }),
        TenancyModule.forRoot({ operatorApiKey: config.OPERATOR_API_KEY, secretsKey, guardEverything: true }),
        FlowStoreModule,
        CampaignModule,
        CampaignDialingModule.forRoot({ namespace }),
        CouponTrackingModule.forRoot({ secretsKey, namespace }),
        SessionModule,
        QueueDashboardModule.forRoot({ operatorApiKey: config.OPERATOR_API_KEY, namespace }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [ApiKeyAuthenticator],
          useFactory: (authenticator: ApiKeyAuthenticator) => {
            const protection = queryProtection();
            return {
              path: '/graphql',
              autoSchemaFile: true,
              sortSchema: true,
              graphiql: false,
              introspection: config.NODE_ENV !== 'production',
              hideSchemaDetailsFromClientErrors: config.NODE_ENV === 'production',
              ...protection,
              validationRules: [...protection.validationRules, noSubscriptionsOverHttp],
              formatError: formatGraphqlError,
              // The Apollo driver serves graphql-ws itself on Fastify: a `ws` server on the HTTP server's upgrades to /graphql.
              subscriptions: { 'graphql-ws': graphqlWsOptions(authenticator, protection.validationRules, { hideSchemaDetails: config.NODE_ENV === 'production' }) },
            };
          },
        }),
      ],
      providers: [...adminApiResolvers, ...adminApiServices, ...smtpSettingsProviders(config), { provide: APP_FILTER, useClass: DomainErrorFilter }],
    };
  }
}
