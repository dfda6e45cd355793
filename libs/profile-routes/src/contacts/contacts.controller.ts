import { Body, Controller, Delete, Get, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, ApiKeysOnly, CurrentPrincipal, parseInput, type Principal } from '@herald/http';
import { ContactDirectory } from './contact-directory';
import { contactIdSchema, putContactSchema } from '@herald/profiles';

@Controller('v1/contacts')
@UseGuards(ApiKeyGuard)
@ApiKeysOnly()
export class ContactsController {
  constructor(private readonly contacts: ContactDirectory) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    return { data: await this.contacts.list(principal) };
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.contacts.get(principal, parseInput(contactIdSchema, id, 'contact id'));
  }

  @Put(':id')
  put(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.contacts.put(
      principal,
      parseInput(contactIdSchema, id, 'contact id'),
      parseInput(putContactSchema, body),
    );
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    await this.contacts.remove(principal, parseInput(contactIdSchema, id, 'contact id'));
  }
}
