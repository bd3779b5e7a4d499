import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity } from './api-key/api-key.entity';
import { ApiKeyRevocations } from './api-key/api-key-revocations';
import { ApiKeysService } from './api-key/api-keys.service';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { ApiKeyAuthenticator, OPERATOR_API_KEY } from './auth/api-key-authenticator';
import { AuthGuard } from './auth/auth.guard';
import { PhoneNumberEntity } from './phone-number/phone-number.entity';
import { PhoneNumbersService } from './phone-number/phone-numbers.service';
import { SecretsCipher } from './secrets/secrets-cipher';
import { SmtpSettingsEntity } from './smtp-settings/smtp-settings.entity';
import { SmtpSettingsService } from './smtp-settings/smtp-settings.service';
import { TenantDatabase } from './tenant/tenant-database';
import { TenantEntity } from './tenant/tenant.entity';
import { TenantsService } from './tenant/tenants.service';
import { TwilioCredentialEntity } from './twilio-credential/twilio-credential.entity';
import { TwilioCredentialsService } from './twilio-credential/twilio-credentials.service';

export interface TenancyOptions {
  operatorApiKey: string;
  secretsKey: Buffer;
  /** Install the deny-by-default guard on every route and resolver of the app. */
  guardEverything: boolean;
}

const services = [TenantDatabase, TenantsService, ApiKeysService, ApiKeyRevocations, PhoneNumbersService, TwilioCredentialsService, ApiKeyAuthenticator, SmtpSettingsService];

@Module({})
export class TenancyModule {
  static forRoot(options: TenancyOptions): DynamicModule {
    return {
      module: TenancyModule,
      global: true,
      imports: [TypeOrmModule.forFeature([TenantEntity, ApiKeyEntity, PhoneNumberEntity, TwilioCredentialEntity, AuditEntryEntity, SmtpSettingsEntity])],
      providers: [
        ...services,
        { provide: OPERATOR_API_KEY, useValue: options.operatorApiKey },
        { provide: SecretsCipher, useValue: new SecretsCipher(options.secretsKey) },
        ...(options.guardEverything ? [{ provide: APP_GUARD, useClass: AuthGuard }] : []),
      ],
      exports: services,
    };
  }
}
