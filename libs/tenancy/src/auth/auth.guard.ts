import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { IS_PUBLIC } from '@ringflow/observability';
import { TenancyException } from '../tenancy.exception';
import { ACCESS } from './access.decorator';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import type { Access, Principal } from './role';
import { requestOf } from './request-of';

/** Deny by default: every handler is public, or names who may call it, or nobody can. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly cls: ClsService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const access = this.reflector.getAllAndOverride<Access[] | undefined>(ACCESS, targets);

    const request = requestOf(ctx);
    const header = request.headers.authorization;
    const principal = await this.authenticator.authenticate(Array.isArray(header) ? header[0] : header);
    request.principal = principal;
    if (this.cls.isActive() && principal.kind === 'api-key') this.cls.set('tenantId', principal.tenantId);

    if (!access) {
      this.logger.error(`${ctx.getClass().name}.${ctx.getHandler().name} declares no access rule; refused`);
      throw new TenancyException('forbidden', 'this operation is not open to any role');
    }
    if (!isAllowed(principal, access)) {
      const who = principal.kind === 'operator' ? 'the operator key' : `role ${principal.role}`;
      throw new TenancyException('forbidden', `${who} may not do this; allowed: ${access.join(', ')}`);
    }
    return true;
  }
}

export function isAllowed(principal: Principal, access: readonly Access[]): boolean {
  return principal.kind === 'operator' ? access.includes('operator') : access.includes(principal.role);
}
