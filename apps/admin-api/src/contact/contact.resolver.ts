import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ContactImportService, ContactListingService, ContactsService, OptOutsService } from '@ringflow/campaign';
import { actorOf, Allow, CurrentPrincipal, type Principal, TenancyException, tenantOf } from '@ringflow/tenancy';
import { connectionOf, PageArgs, pageRequest } from '../graphql/connection';
import { phoneFor, seesPhones } from '../graphql/personal-data';
import { contactsFromCsv } from './contact-csv';
import {
  ContactConnection, ContactImportPayload, ContactInput, ContactListConnection, ContactListType, OptOutConnection, OptOutType,
} from './contact.types';

@Resolver(() => ContactListType)
export class ContactResolver {
  constructor(
    private readonly contactsService: ContactsService,
    private readonly importer: ContactImportService,
    private readonly listing: ContactListingService,
    private readonly optOutList: OptOutsService,
  ) {}

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => ContactListConnection, { description: 'Newest first' })
  async contactLists(@Args() page: PageArgs, @CurrentPrincipal() principal: Principal): Promise<ContactListConnection> {
    return connectionOf(await this.listing.lists(tenantOf(principal), pageRequest(page)), (l) => l.id);
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => ContactListType)
  contactList(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<ContactListType> {
    return this.listing.list(tenantOf(principal), id);
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => ContactConnection, { description: "A list's contacts in the order they were added" })
  async contacts(
    @Args('listId', { type: () => ID }) listId: string, @Args() page: PageArgs, @CurrentPrincipal() principal: Principal,
  ): Promise<ContactConnection> {
    const found = await this.listing.members(tenantOf(principal), listId, pageRequest(page));
    return connectionOf(found, (c) => c.id, (c) => ({ ...c, phone: phoneFor(principal, c.phone), attributes: seesPhones(principal) ? c.attributes : null }));
  }

  @Allow('admin', 'marketer')
  @Mutation(() => ContactListType)
  async createContactList(@Args('name') name: string, @CurrentPrincipal() principal: Principal): Promise<ContactListType> {
    const tenantId = tenantOf(principal);
    const created = await this.contactsService.createList(tenantId, name, actorOf(principal));
    return this.listing.list(tenantId, created.id);
  }

  @Allow('admin', 'marketer')
  @Mutation(() => ContactImportPayload, { description: 'Either `csv` (header: phone,name,timeZone; other columns are attributes) or `rows`' })
  importContacts(
    @Args('listId', { type: () => ID }) listId: string,
    @Args('csv', { type: () => String, nullable: true }) csv: string | null,
    @Args('rows', { type: () => [ContactInput], nullable: true }) rows: ContactInput[] | null,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ContactImportPayload> {
    if ((csv == null) === (rows == null)) throw new TenancyException('invalid-input', 'give either csv or rows, not both or neither', csv == null ? 'rows' : 'csv');
    return this.importer.import(tenantOf(principal), listId, csv != null ? contactsFromCsv(csv) : rows!, actorOf(principal));
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => OptOutConnection, { description: 'The do-not-call list, newest first' })
  async optOuts(@Args() page: PageArgs, @CurrentPrincipal() principal: Principal): Promise<OptOutConnection> {
    const found = await this.optOutList.page(tenantOf(principal), pageRequest(page));
    return connectionOf(found, (o) => o.phone, (o) => ({ ...o, phone: phoneFor(principal, o.phone) }));
  }

  @Allow('admin', 'marketer')
  @Mutation(() => OptOutType, { description: 'Campaigns stop calling the number from their next dial' })
  async addOptOut(@Args('phone') phone: string, @CurrentPrincipal() principal: Principal): Promise<OptOutType> {
    const tenantId = tenantOf(principal);
    await this.optOutList.find(tenantId, phone); // checks the number, naming the phone field
    await this.contactsService.optOut(tenantId, phone, 'admin-api', actorOf(principal));
    return (await this.optOutList.find(tenantId, phone))!;
  }

  @Allow('admin', 'marketer')
  @Mutation(() => OptOutType, { description: 'Campaigns may call the number again' })
  removeOptOut(@Args('phone') phone: string, @CurrentPrincipal() principal: Principal): Promise<OptOutType> {
    return this.optOutList.remove(tenantOf(principal), phone, actorOf(principal));
  }
}
