import 'reflect-metadata';
import { loadConfigOrExit } from '@ringflow/config';
import { createHttpApp, createLogger, runApp } from '@ringflow/observability';
import { ADMIN_API_BODY_LIMIT, adminApiConfigSchema } from './admin-api.config';
import { AdminApiModule } from './admin-api.module';

const config = loadConfigOrExit('admin-api', adminApiConfigSchema);
const logger = createLogger('admin-api', config.LOG_LEVEL);

void runApp(
  logger,
  async () => {
    const app = await createHttpApp(AdminApiModule.forRoot(config), logger, { bodyLimit: ADMIN_API_BODY_LIMIT });
    await app.listen(config.PORT, '0.0.0.0');
    return app;
  },
  () => `admin-api listening on port ${config.PORT}: POST /graphql, subscriptions (graphql-ws) on ws://…/graphql`,
);
