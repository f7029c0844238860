import type { Location, Zone } from '../schemas/location.js';
import type { User } from '../schemas/user.js';
import { cdataWith, coordinate, yesNo } from './parts.js';
import type { XmlWriter } from './writer.js';

function zone(out: XmlWriter, name: string, z: Zone | undefined): void {
  if (!z) return;
  out.start(name);
  out.attr('id', z.id);
  out.attr('uuid', z.uuid);
  out.cdata(z.name);
  out.end(name);
}

/** Writes a `location` (the XSD's `locationStructure`) or any element of that type, e.g. `selling-place`. */
export function locationXml(out: XmlWriter, location: Location, name = 'location'): void {
  out.start(name);
  out.textElement('country-code', location.countryCode);
  out.cdataElement('administrative-area', location.administrativeArea);
  const sub = location.subAdministrativeArea;
  if (sub) cdataWith(out, 'sub-administrative-area', sub.name, 'code', sub.code);
  const city = location.city;
  out.start('city');
  out.attr('latitude', city.latitude === undefined ? undefined : coordinate(city.latitude));
  out.attr('longitude', city.longitude === undefined ? undefined : coordinate(city.longitude));
  out.attr('geo', city.geo);
  out.attr('code', city.code);
  out.cdata(city.name);
  out.end('city');
  const loc = location.locality;
  if (loc) {
    out.start('locality');
    out.attr('map', loc.map);
    out.attr('admin-level', loc.adminLevel);
    out.attr('admin-level-id', loc.adminLevelId);
    out.attr('coordinate-type', loc.coordinateType);
    const n = loc.neighbourhood;
    if (n) {
      out.start('neighbourhood');
      out.attr('type', n.type);
      out.attr('id', n.id);
      out.attr('geolocalized', n.geolocalized ? 'yes' : undefined);
      out.cdata(n.name);
      out.end('neighbourhood');
    }
    if (loc.zones) {
      out.start('zones');
      zone(out, 'macrozone', loc.zones.macrozone);
      zone(out, 'microzone', loc.zones.microzone);
      zone(out, 'locality', loc.zones.locality);
      out.end('zones');
    }
    if (loc.thoroughfare) {
      cdataWith(out, 'thoroughfare', loc.thoroughfare.value, 'display', yesNo(loc.thoroughfare.display));
    }
    out.cdataElement('street-number', loc.streetNumber);
    if (loc.addresses) {
      out.start('addresses');
      for (const address of loc.addresses) {
        out.start('address');
        out.attr('language', address.language);
        out.cdataElement('thoroughfare', address.thoroughfare);
        out.cdataElement('street-number', address.streetNumber);
        out.end('address');
      }
      out.end('addresses');
    }
    out.textElement('postal-code', loc.postalCode);
    if (loc.latitude !== undefined) out.textElement('latitude', coordinate(loc.latitude));
    if (loc.longitude !== undefined) out.textElement('longitude', coordinate(loc.longitude));
    out.end('locality');
  }
  out.end(name);
}

/** Writes the private advertiser (`user`). */
export function userXml(out: XmlWriter, user: User): void {
  const show = user.show;
  out.start('user');
  out.attr('uuid', user.uuid);
  out.attr('active', user.active);
  out.attr('group', user.group);
  out.cdataElement('id', user.id);
  out.cdataElement('name', user.name);
  out.cdataElement('surname', user.surname);
  out.cdataElement('phone', user.phone);
  out.cdataElement('mobile', user.mobile);
  out.textElement('email', user.email);
  out.textElement('show-name', show?.name);
  out.textElement('show-phone', show?.phone);
  out.textElement('show-mobile', show?.mobile);
  out.textElement('show-email', show?.email);
  out.textElement('show-avatar', show?.avatar);
  out.textElement('birth-date', user.birthDate);
  out.textElement('gender', user.gender);
  out.textElement('language', user.language);
  if (user.location) locationXml(out, user.location);
  out.textElement('registration-date', user.registrationDate);
  out.end('user');
}
