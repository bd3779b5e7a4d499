import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { actorOf, Allow, CurrentPrincipal, type Principal, tenantOf, TwilioCredentialsService } from '@ringflow/tenancy';
import { SetTwilioCredentialsInput, TwilioCredentialsType } from './twilio-credentials.types';

@Resolver(() => TwilioCredentialsType)
export class TwilioCredentialsResolver {
  constructor(private readonly credentials: TwilioCredentialsService) {}

  @Allow('admin')
  @Query(() => TwilioCredentialsType, { nullable: true })
  twilioCredentials(@CurrentPrincipal() principal: Principal): Promise<TwilioCredentialsType | null> {
    return this.credentials.find(tenantOf(principal));
  }

  @Allow('admin')
  @Mutation(() => TwilioCredentialsType)
  setTwilioCredentials(@Args('input') input: SetTwilioCredentialsInput, @CurrentPrincipal() principal: Principal): Promise<TwilioCredentialsType> {
    return this.credentials.set(tenantOf(principal), input, actorOf(principal));
  }
}
