import type { Building, RegistrarData } from '../schemas/building.js';
import type { XmlWriter } from './writer.js';

/** Writes `building`: the typology attributes, then maps, status, terrains and class. */
export function buildingXml(out: XmlWriter, b: Building): void {
  out.start('building');
  out.attr('map', b.map);
  out.attr('IDType', b.typeId);
  out.attr('originalType', b.originalType);
  out.attr('categoryV1', b.categoryV1);
  out.attr('typologyV1', b.typologyV1);
  if (b.additionalMaps) {
    out.start('maps');
    for (const map of b.additionalMaps) {
      out.start('additional');
      out.attr('map', map);
      out.end('additional');
    }
    out.end('maps');
  }
  out.textElement('status', b.status);
  if (b.terrains) {
    out.start('terrains');
    for (const t of b.terrains) out.textElement('terrain', t);
    out.end('terrains');
  }
  out.textElement('class', b.class);
  out.end('building');
}

/** Writes `registrar-data`, the cadastre's identifiers of the property. */
export function registrarDataXml(out: XmlWriter, r: RegistrarData): void {
  out.start('registrar-data');
  out.attr('class', r.class);
  out.textElement('type', r.type);
  out.cdataElement('section', r.section);
  out.cdataElement('sheet', r.sheet);
  out.cdataElement('parcel', r.parcel);
  out.cdataElement('sub-parcel', r.subParcel);
  out.cdataElement('sub', r.sub);
  out.cdataElement('sub-2nd', r.sub2nd);
  out.cdataElement('attached', r.attached);
  out.textElement('revenue', r.revenue);
  out.cdataElement('extra', r.extra);
  out.end('registrar-data');
}
