import type { Agent } from '../schemas/agent.js';
import { customFieldsXml } from './estates.js';
import { descriptionsXml, openingTimesXml } from './features.js';
import { locationXml } from './location.js';
import { cdataWith, langTextXml } from './parts.js';
import { writeRealtors } from './realtor.js';
import type { XmlWriter } from './writer.js';

function contractXml(
  out: XmlWriter,
  name: string,
  c: NonNullable<NonNullable<Agent['contractData']>['top']> | undefined,
): void {
  if (!c) return;
  out.start(name);
  out.attr('active', c.active);
  out.textElement('start', c.start);
  out.textElement('end', c.end);
  out.textElement('num-rent', c.numRent);
  out.textElement('num-sale', c.numSale);
  out.textElement('num-project', c.numProject);
  out.textElement('num-total', c.numTotal);
  out.end(name);
}

/** Writes `agent`: the agency's attributes, then every child that is set, in the XSD's order. */
export function agentXml(out: XmlWriter, agent: Agent): void {
  out.start('agent');
  out.attr('id', agent.id);
  out.attr('external-id', agent.externalId);
  out.attr('uuid', agent.uuid);
  out.attr('partner', agent.partner);
  out.attr('date-updated', agent.dateUpdated);
  out.attr('published-on', agent.publishedOn);
  out.attr('group', agent.group);
  out.attr('watermark', agent.watermark);
  out.attr('no-virtual-visit', agent.noVirtualVisit);
  out.attr('operation', agent.operation);
  out.cdataElement('name', agent.name);
  if (agent.companyNames) {
    out.start('company-names');
    for (const n of agent.companyNames) cdataWith(out, 'company-name', n.value, 'language', n.language);
    out.end('company-names');
  }
  out.cdataElement('office-name', agent.officeName);
  out.cdataElement('franchising', agent.franchising);
  out.textElement('email', agent.email);
  out.cdataElement('phone', agent.phone);
  out.cdataElement('mobile-phone', agent.mobilePhone);
  out.cdataElement('fax', agent.fax);
  langTextXml(out, 'description', agent.description);
  descriptionsXml(out, agent.descriptions);
  out.cdataElement('vat', agent.vat);
  out.cdataElement('fiscal-code', agent.fiscalCode);
  out.cdataElement('web', agent.web);
  out.textElement('builder', agent.builder);
  if (agent.location) locationXml(out, agent.location);
  out.cdataElement('logo', agent.logo);
  const office = agent.salesOffice;
  if (office) {
    out.start('sales-office');
    out.textElement('country-code', office.countryCode);
    out.cdataElement('administrative-area', office.administrativeArea);
    out.cdataElement('sub-administrative-area', office.subAdministrativeArea);
    if (office.city) cdataWith(out, 'city', office.city.name, 'code', office.city.code);
    out.start('locality');
    out.cdataElement('thoroughfare', office.thoroughfare);
    out.end('locality');
    out.cdataElement('phone', office.phone);
    out.cdataElement('mobile', office.mobile);
    out.end('sales-office');
  }
  out.textElement('price-proposal-enabled', agent.priceProposalEnabled);
  out.textElement('visit-request-enabled', agent.visitRequestEnabled);
  const contact = agent.contact;
  if (contact) {
    out.start('contact');
    out.cdataElement('firstname', contact.firstName);
    out.cdataElement('surname', contact.surname);
    out.cdataElement('phone', contact.phone);
    out.end('contact');
  }
  if (agent.realtors) writeRealtors(out, agent.realtors);
  const contracts = agent.contractData;
  if (contracts) {
    out.start('contract-data');
    contractXml(out, 'premium', contracts.premium);
    contractXml(out, 'top', contracts.top);
    contractXml(out, 'showcase', contracts.showcase);
    contractXml(out, 'star', contracts.star);
    out.end('contract-data');
  }
  if (agent.importSources) {
    out.start('import-sources');
    for (const s of agent.importSources) {
      out.start('import-source');
      out.attr('portal', s.portal);
      out.text(s.source);
      out.end('import-source');
    }
    out.end('import-sources');
  }
  out.textElement('status', agent.status);
  out.textElement('extension-status', agent.extensionStatus);
  customFieldsXml(out, agent.customFields);
  out.textElement('mortgage-evaluate-url', agent.mortgageEvaluateUrl);
  out.textElement('mortgage-consulting-url', agent.mortgageConsultingUrl);
  out.textElement('facebook-url', agent.facebookUrl);
  out.textElement('instagram-url', agent.instagramUrl);
  out.textElement('linkedin-url', agent.linkedinUrl);
  out.textElement('twitter-url', agent.twitterUrl);
  out.cdataElement('association', agent.association);
  out.textElement('language', agent.language);
  openingTimesXml(out, agent.openingTimes);
  if (agent.extraServices) {
    out.start('extra-services');
    for (const s of agent.extraServices) {
      out.start('extra-service');
      out.attr('name', s.name);
      out.attr('value', s.value);
      out.end('extra-service');
    }
    out.end('extra-services');
  }
  out.cdataElement('office-manager', agent.officeManager);
  out.end('agent');
}
