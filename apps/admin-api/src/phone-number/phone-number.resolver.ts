import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { actorOf, Allow, CurrentPrincipal, PhoneNumbersService, type Principal, tenantOf } from '@ringflow/tenancy';
import { AddPhoneNumberInput, PhoneNumberType } from './phone-number.types';

@Resolver(() => PhoneNumberType)
export class PhoneNumberResolver {
  constructor(private readonly numbers: PhoneNumbersService) {}

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => [PhoneNumberType])
  phoneNumbers(@CurrentPrincipal() principal: Principal): Promise<PhoneNumberType[]> {
    return this.numbers.list(tenantOf(principal));
  }

  @Allow('admin')
  @Mutation(() => PhoneNumberType)
  addPhoneNumber(@Args('input') input: AddPhoneNumberInput, @CurrentPrincipal() principal: Principal): Promise<PhoneNumberType> {
    return this.numbers.add(tenantOf(principal), input, actorOf(principal));
  }

  @Allow('admin')
  @Mutation(() => PhoneNumberType, { description: 'Removes the number; returns what was removed' })
  removePhoneNumber(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<PhoneNumberType> {
    return this.numbers.remove(tenantOf(principal), id, actorOf(principal));
  }
}
