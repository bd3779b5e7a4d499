import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Access, Principal } from './role';
import { requestOf } from './request-of';

export const ACCESS = 'ringflow:access';

/** Who may call a route or resolver. Without it (or @Public) the global guard refuses the call. */
export const Allow = (...access: Access[]): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, access);

/** The authenticated caller, as the guard left it on the request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = requestOf(ctx).principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route the auth guard did not run for');
  return principal;
});
