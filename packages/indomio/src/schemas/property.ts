import { z } from 'zod';
import { RealtorSchema } from './realtor.js';
import { OperationSchema, UserLanguageSchema, xmlText } from './xsd.js';

export { type Realtor, type RealtorInput, RealtorSchema } from './realtor.js';
export { hasInvalidXmlChars, type Operation, OperationSchema, UserLanguageSchema } from './xsd.js';

/** Largest picture the portal downloads, in bytes. */
export const MAX_PICTURE_BYTES = 5_242_880;
/** Largest document the portal downloads, in bytes. */
export const MAX_DOCUMENT_BYTES = 8_388_608;
/** Most blueprints (floor plans) one listing may carry. */
export const MAX_BLUEPRINTS = 4;

/** Text that fits in an XML document. */
const text = xmlText;
const nonEmpty = () => text().refine((s) => s.trim() !== '', 'must not be empty');
const int32 = () => z.int32();
const long = () => z.int().min(0);

const XS_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** Formats a `Date` as an `xs:dateTime` in UTC, to the second. */
export function toXsDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Milliseconds since the epoch of an `xs:dateTime`; a value without a time zone is read as UTC,
 * as the portal compares dates without one.
 */
export function xsDateTimeToMs(value: string): number {
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
}

/** An ISO date-time: a `Date`, or a string the XSD's `xs:dateTime` accepts. Output: the `xs:dateTime` text. */
export const DateTimeSchema = z
  .union([
    z
      .string()
      .regex(XS_DATE_TIME, 'must be an ISO date-time such as 2019-10-10T12:00:12')
      .refine((s) => !Number.isNaN(xsDateTimeToMs(s)), 'not a real date'),
    z.date().refine((d) => !Number.isNaN(d.getTime()), 'invalid date'),
  ])
  .transform((v) => (typeof v === 'string' ? v : toXsDateTime(v)));

/** Languages of descriptions and addresses (`nationcode`). */
export const LanguageSchema = z.enum(['it', 'en', 'de', 'fr', 'es', 'pt', 'ru', 'gr', 'el', 'hr', 'sl', 'sr']);
/** A language code the portal knows. */
export type Language = z.infer<typeof LanguageSchema>;

/** The agency publishing the listing (`agent`); `email` is the agency's username and identifies it. */
export const AgentSchema = z.strictObject({
  email: z.string().regex(/^[^@]+@[^.]+\..+$/, 'must be an e-mail address'),
  name: text().optional(),
  officeName: text().optional(),
  phone: text().optional(),
  mobilePhone: text().optional(),
  realtors: z.array(RealtorSchema).min(1).optional(),
});
/** The agency publishing the listing. */
export type Agent = z.infer<typeof AgentSchema>;

const XS_DATE = /^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/;

/** Whether the year, month and day of an `xs:date` name a day of the calendar (no 30 February). */
function isRealDay(value: string): boolean {
  const [year, month, day] = value.replace(/^-/, '').split('-', 3).map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A calendar date: a `Date` (its UTC day), or a string the XSD's `xs:date` accepts. Output: the `xs:date` text. */
export const XsDateSchema = z
  .union([
    z.string().regex(XS_DATE, 'must be an ISO date such as 1980-02-29').refine(isRealDay, 'not a real date'),
    z.date().refine((d) => !Number.isNaN(d.getTime()), 'invalid date'),
  ])
  .transform((v) => (typeof v === 'string' ? v : v.toISOString().slice(0, 10)));

const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);

/** A street address in one language (`locality/addresses/address`). */
export const AddressSchema = z.strictObject({
  language: LanguageSchema,
  thoroughfare: text().max(200).optional(),
  streetNumber: text().max(10).optional(),
});
/** A street address in one language. */
export type Address = z.infer<typeof AddressSchema>;

/** Where the property is (`location`). Give coordinates, or at least the city's ISTAT code. */
export const LocationSchema = z.strictObject({
  /** ISO 3166 two-letter code, e.g. `IT`. */
  countryCode: z
    .string()
    .regex(/^[a-zA-Z]{2}$/, 'must be a two-letter country code')
    .optional(),
  administrativeArea: text().optional(),
  subAdministrativeArea: z.strictObject({ name: text(), code: text().optional() }).optional(),
  city: z.strictObject({
    name: text(),
    /** ISTAT code of the municipality, e.g. `042021`; essential without coordinates. */
    code: text().optional(),
  }),
  locality: z
    .strictObject({
      /** How precisely the portal shows the position. */
      map: z.enum(['exact', 'near', 'no']).optional(),
      postalCode: text().max(5).optional(),
      latitude: latitude.optional(),
      longitude: longitude.optional(),
      thoroughfare: z.strictObject({ value: text().max(200), display: z.boolean().optional() }).optional(),
      streetNumber: text().max(10).optional(),
      addresses: z.array(AddressSchema).min(1).optional(),
    })
    .optional(),
});
/** Where the property is. */
export type Location = z.infer<typeof LocationSchema>;

/**
 * A private advertiser publishing the listing (`user`), the alternative to an agency's
 * {@link AgentSchema | agent}; `email` identifies the account.
 */
export const UserSchema = z.strictObject({
  email: z.string().regex(/^[^@]+@[^.]+\..+$/, 'must be an e-mail address'),
  /** The user's id in the CRM. */
  id: text().optional(),
  /** The portal's uuid of the user (`@uuid`). */
  uuid: text().optional(),
  /** Whether the account is active (`@active`). */
  active: z.boolean().optional(),
  /** Group of the account (`@group`). */
  group: text().optional(),
  name: text().optional(),
  surname: text().optional(),
  phone: text().optional(),
  mobile: text().optional(),
  /** Which contacts the portal shows on the listing. */
  show: z
    .strictObject({
      name: z.boolean().optional(),
      phone: z.boolean().optional(),
      mobile: z.boolean().optional(),
      email: z.boolean().optional(),
      avatar: z.boolean().optional(),
    })
    .optional(),
  birthDate: XsDateSchema.optional(),
  gender: z.enum(['M', 'F']).optional(),
  language: UserLanguageSchema.optional(),
  /** Where the advertiser lives; the listing's own place is the property's `location`. */
  location: LocationSchema.optional(),
  registrationDate: XsDateSchema.optional(),
});
/** A private advertiser. */
export type User = z.infer<typeof UserSchema>;

/** A picture, blueprint or 360° image, by URL (`picture`). */
export const PictureSchema = z.strictObject({
  url: nonEmpty(),
  /** Display order; defaults to the position in the list, from 1. */
  position: int32().optional(),
  /** Size in bytes when the CRM knows it; checked against the portal's limit, not sent. */
  sizeBytes: z.int().min(0).max(MAX_PICTURE_BYTES, `pictures may be at most ${MAX_PICTURE_BYTES} bytes`).optional(),
  etag: text().optional(),
  width: int32().optional(),
  height: int32().optional(),
});
/** A picture by URL. */
export type Picture = z.infer<typeof PictureSchema>;

/** A video (`videos/video`). */
export const VideoSchema = z.strictObject({
  url: nonEmpty(),
  type: z.enum(['local', 'remote']).optional(),
});
/** A video. */
export type Video = z.infer<typeof VideoSchema>;

/** Kinds of document (`document/@type`). */
export const DocumentTypeSchema = z.enum([
  'ordinanza',
  'ordinanza di vendita',
  'planimetria',
  'perizia',
  'modalità di partecipazione',
  'avviso',
  'avviso di vendita',
  'capitolato',
  'documento catastale',
  'visura catastale',
  'altro',
  'altro-asta',
  'descrizione progetto',
  'ape',
]);

/** A document by URL (`documents/document`). */
export const DocumentSchema = z.strictObject({
  url: nonEmpty().refine((s) => !/\s/.test(s), 'must be a URL without spaces'),
  type: DocumentTypeSchema,
  position: int32().optional(),
  mimeType: text().optional(),
  /** Size in bytes when the CRM knows it; checked against the portal's limit, not sent. */
  sizeBytes: z.int().min(0).max(MAX_DOCUMENT_BYTES, `documents may be at most ${MAX_DOCUMENT_BYTES} bytes`).optional(),
  /** Caption of the document. */
  title: text().optional(),
});
/** A document by URL. */
export type Document = z.infer<typeof DocumentSchema>;

/** Kinds of extra visibility (`visibility`). */
export const VisibilityTypeSchema = z.enum(['basic', 'premium', 'top', 'showcase', 'star', 'alert-email-showcase']);

/** One portal's publication and extra visibility (`publish/portal`). */
export const PublishPortalSchema = z.strictObject({
  /** Portal id, e.g. `immobiliare.it`. */
  id: nonEmpty().default('immobiliare.it'),
  /** Whether the listing is published there. */
  status: z.boolean().default(true),
  visibilities: z
    .array(
      z.strictObject({
        type: VisibilityTypeSchema,
        /** `active` asks for the visibility, `remove` drops it. */
        op: z.enum(['active', 'remove']).default('active'),
        limit: z.int().min(1).optional(),
      }),
    )
    .min(1)
    .optional(),
});
/** One portal's publication and extra visibility. */
export type PublishPortal = z.infer<typeof PublishPortalSchema>;

/** A contract with its price (`transactions/transaction`). */
export const TransactionSchema = z.strictObject({
  /** `S` sale, `R` rent. */
  type: z.enum(['S', 'R']),
  /** Whole euros. */
  price: long(),
  /** The portal accepts only euros. */
  currency: z.literal('EUR', 'only EUR is accepted by the portal').default('EUR'),
  /** Hides the price. */
  reserved: z.boolean().optional(),
  auction: z.boolean().optional(),
  forRevenue: z.boolean().optional(),
  ownership: z
    .enum([
      'intera proprietà',
      'nuda proprietà',
      'parziale proprietà',
      'usufrutto',
      'multiproprietà',
      'diritto di superficie',
    ])
    .optional(),
});
/** A contract with its price. */
export type Transaction = z.infer<typeof TransactionSchema>;

/** The typology and state of the building (`building`). */
export const BuildingSchema = z.strictObject({
  /** Portal typology id (`@IDType`), e.g. 14 apartment, 253 garage, 254 parking space. */
  typeId: int32(),
  status: z
    .enum([
      'in costruzione',
      'nuovo',
      'abitabile',
      'ottimo',
      'buono',
      'ristrutturato',
      'da ristrutturare',
      'discreto',
      'nd',
    ])
    .optional(),
  class: z.enum(['di lusso', 'signorile', 'medio', 'economico']).optional(),
});
/** The typology and state of the building. */
export type Building = z.infer<typeof BuildingSchema>;

/** Floor kinds (`detailedSizeFloorType`). */
export const FloorTypeSchema = z.enum([
  'Intermedio',
  'Interrato',
  'Interrato(-1)',
  'Interrato(-2)',
  'Interrato(-3)',
  'Interrato(-4)',
  'Interrato(-5)',
  'Controterra',
  'Seminterrato',
  'PianoTerra',
  'Rialzato',
  'PianoNobile',
  'Multipiano',
  'Ultimo',
  'Attico',
  'Edificio',
  'Scantinato',
  'Ammezzato',
  'Principale',
]);

/** Kinds of surface in a detailed size breakdown (`detailedSizeType`). */
export const SizeTypeSchema = z.enum([
  'Abitazione',
  'Ufficio',
  'Studio',
  'Negozio',
  'Magazzino',
  'Garage',
  'Cantina',
  'Soffitta',
  'Balcone',
  'Terrazzo',
  'Giardino',
  'Terreno',
  'Parti comuni',
  'Altro',
  'Mansarda',
  'Capannone',
  'Laboratorio',
  'Posti auto',
  'Posto auto',
  'Soppalco',
  'Esterno',
  'Parcheggio',
  'Albergo/hotel',
  'Posto moto',
  'Posto barca',
  'Posto camper o roulotte',
  'Autorimessa',
  'Centralina',
  'Podere o tenuta',
  'Filiale bancaria',
  'Scuderia',
  'Casa di cura',
  'Stabilimento balneare',
  'Azienda agricola',
  'Impianti sportivi',
  'Stazione di servizio',
  'Autolavaggio',
  'Campeggio',
  'Piazzale',
  'Locale tecnico',
  'Appartamento',
]);

const sizeUnit = z.enum(['m2', 'sft']);

/** Energy class and its measures (`features/energy-class`, required by the XSD; may be empty). */
export const EnergyClassSchema = z.strictObject({
  value: z
    .enum([
      'A4',
      'A3',
      'A2',
      'A1',
      'A+',
      'A',
      'B+',
      'B',
      'C',
      'D',
      'E',
      'F',
      'G',
      'H',
      'I',
      'Γ',
      'Δ',
      'Ε',
      'Ζ',
      'Η',
      'esente',
      'NC',
    ])
    .optional(),
  /** Zero-energy building. */
  zero: z.boolean().optional(),
  scale: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
  certified: z.boolean().optional(),
  performance: z
    .array(
      z.strictObject({
        value: z.number(),
        unit: z.enum(['kWh/m2anno', 'kWh/m3anno']),
        type: z.enum(['nren', 'ren']),
      }),
    )
    .optional(),
  seasons: z
    .array(
      z.strictObject({
        season: z.enum(['summer', 'winter']).optional(),
        level: z.enum(['low', 'normal', 'high']).optional(),
      }),
    )
    .optional(),
});
/** Energy class and its measures. */
export type EnergyClass = z.infer<typeof EnergyClassSchema>;

/** A description in one language (`descriptions/description`). */
export const DescriptionSchema = z.strictObject({
  language: LanguageSchema.optional(),
  /** Written in this language originally (not translated). */
  native: z.boolean().optional(),
  title: text().max(255).optional(),
  content: text(),
});
/** A description in one language. */
export type Description = z.infer<typeof DescriptionSchema>;

/** Size, rooms, descriptions and energy data (`features`). */
export const FeaturesSchema = z.strictObject({
  size: z.strictObject({ value: long(), unit: sizeUnit.optional() }).optional(),
  /** A breakdown of the surface by kind. */
  sizes: z
    .strictObject({
      unit: sizeUnit,
      items: z
        .array(
          z.strictObject({
            type: SizeTypeSchema,
            floor: z.strictObject({ value: int32(), type: FloorTypeSchema.optional() }).optional(),
            surface: z.number(),
            /** Weight of this surface in the commercial size, 0–100. */
            weight: z.number().min(0).max(100),
            main: z.boolean().optional(),
          }),
        )
        .min(1),
    })
    .optional(),
  roomsDetail: z
    .strictObject({
      bedrooms: int32().optional(),
      otherRooms: z.number().optional(),
      kitchen: z
        .enum(['Abitabile', 'Semi abitabile', 'Cucinotto', 'Angolo cottura', 'A vista', 'Indipendente', 'Aperta'])
        .optional(),
    })
    .optional(),
  descriptions: z.array(DescriptionSchema).max(25).optional(),
  energyClass: EnergyClassSchema,
  emissionsClass: z
    .strictObject({
      value: z.enum(['A+', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'esente', 'NC']).optional(),
      co2: z.strictObject({ value: z.number(), unit: z.enum(['CO2/m2anno', 'CO2/m3anno']) }).optional(),
    })
    .optional(),
});
/** Size, rooms, descriptions and energy data. */
export type Features = z.infer<typeof FeaturesSchema>;

/** The common extra features (`extra-features`). */
export const ExtraFeaturesSchema = z.strictObject({
  bathrooms: int32().optional(),
  garage: z.strictObject({ count: int32(), type: z.enum(['No', 'Box', 'Rimessa', 'PostoAuto']).optional() }).optional(),
  heating: z
    .strictObject({
      type: z.enum(['Assente', 'Autonomo', 'Centralizzato']).optional(),
      system: z.enum(['A radiatori', 'A pavimento', 'Ad aria', 'A stufa']).optional(),
      source: z
        .enum([
          'Gas',
          'Metano',
          'GPL',
          'Gasolio',
          'Pellet',
          'Legna',
          'Solare',
          'Fotovoltaico',
          'Teleriscaldamento',
          'Pompa di calore',
          'Elettrica',
        ])
        .optional(),
    })
    .optional(),
  airConditioning: z
    .strictObject({
      type: z.enum(['Autonomo', 'Centralizzato', 'Predisposizione impianto', 'Assente']).optional(),
      present: z.boolean().optional(),
      effect: z.enum(['Freddo', 'Caldo', 'Freddo/Caldo']).optional(),
    })
    .optional(),
  garden: z.enum(['Privato', 'Comune', 'Nessuno', 'Entrambi']).optional(),
  terrace: z.boolean().optional(),
  balcony: z.boolean().optional(),
  elevator: z.boolean().optional(),
  floor: z.strictObject({ value: int32().optional(), type: FloorTypeSchema.optional() }).optional(),
  numFloors: int32().optional(),
  availableNow: z.boolean().optional(),
  /** URL of a virtual tour. */
  virtualTour: nonEmpty().optional(),
  rentContract: z.enum(['3+2', '4+4', '6+6', '9+9', 'Transitorio', 'Concordato', 'Libero', 'Studenti']).optional(),
  furniture: z.enum(['Arredato', 'Non Arredato', 'Parzialmente Arredato', 'Solo Cucina Arredata']).optional(),
  buildYear: z.int().min(1000).max(3000).optional(),
  /** Set for a room let on its own: such a listing cannot be for sale. */
  accommodationType: z.enum(['single', 'double', 'triple', 'multiple']).optional(),
  /** Set for a room let on its own: such a listing cannot be for sale. */
  rentRoom: z
    .strictObject({
      furnished: z.boolean().optional(),
      privateBathroom: z.boolean().optional(),
      privateEntrance: z.boolean().optional(),
    })
    .optional(),
});
/** The common extra features. */
export type ExtraFeatures = z.infer<typeof ExtraFeaturesSchema>;

/** Typologies whose surfaces may only be of one kind: garages and parking spaces, coworking. */
export const TYPOLOGY_SIZE_TYPES: Readonly<Record<number, z.infer<typeof SizeTypeSchema>>> = {
  253: 'Garage',
  254: 'Garage',
  259: 'Ufficio',
};

const PropertyObjectSchema = z.strictObject({
  operation: OperationSchema.default('write'),
  /** The listing's id in the CRM; with `agent.email` it identifies the listing. */
  uniqueId: nonEmpty(),
  publishedOn: DateTimeSchema.optional(),
  /** The portal applies a write only when this is newer than what it stored. */
  dateUpdated: DateTimeSchema,
  dateExpiration: DateTimeSchema.optional(),
  referenceCode: text().max(255).optional(),
  /** The agency publishing the listing; give it or `user`. */
  agent: AgentSchema.optional(),
  /** A private advertiser publishing the listing, instead of an agency. */
  user: UserSchema.optional(),
  location: LocationSchema,
  pictures: z.array(PictureSchema).min(1).optional(),
  videos: z.array(VideoSchema).min(1).max(5).optional(),
  publish: z.array(PublishPortalSchema).min(1).optional(),
  transactions: z.array(TransactionSchema).min(1).max(3),
  building: BuildingSchema,
  features: FeaturesSchema,
  extraFeatures: ExtraFeaturesSchema.optional(),
  documents: z.array(DocumentSchema).min(1).optional(),
  blueprints: z.array(PictureSchema).min(1).max(MAX_BLUEPRINTS, `at most ${MAX_BLUEPRINTS} blueprints`).optional(),
});

type PropertyShape = z.infer<typeof PropertyObjectSchema>;

/** Rules of the portal's guide that the XSD cannot express. */
function checkGuideRules(payload: z.core.ParsePayload<PropertyShape>): void {
  const p = payload.value;
  const issue = (path: PropertyKey[], message: string) => {
    payload.issues.push({ code: 'custom', input: p, path, message });
  };
  if ((p.agent === undefined) === (p.user === undefined)) {
    issue(
      [p.agent === undefined ? 'agent' : 'user'],
      p.agent === undefined
        ? 'give the agent (an agency) or the user (a private advertiser)'
        : 'give the agent or the user, not both',
    );
  }
  const loc = p.location.locality;
  const hasCoordinates = loc?.latitude !== undefined && loc.longitude !== undefined;
  if (!p.location.city.code && !hasCoordinates) {
    issue(['location', 'city', 'code'], 'give the ISTAT city code or the locality latitude and longitude');
  }
  if ((loc?.latitude === undefined) !== (loc?.longitude === undefined)) {
    issue(['location', 'locality'], 'latitude and longitude go together');
  }
  for (const kind of ['planimetria', 'ape'] as const) {
    const count = p.documents?.filter((d) => d.type === kind).length ?? 0;
    if (count > 1) {
      issue(['documents'], `at most one "${kind}" document (got ${count})`);
    }
  }
  const isRoom = p.extraFeatures?.rentRoom !== undefined || p.extraFeatures?.accommodationType !== undefined;
  if (isRoom) {
    p.transactions.forEach((t, i) => {
      if (t.type === 'S') {
        issue(['transactions', i, 'type'], 'a room cannot be for sale');
      }
    });
  }
  const only = TYPOLOGY_SIZE_TYPES[p.building.typeId];
  if (only) {
    p.features.sizes?.items.forEach((item, i) => {
      if (item.type !== only) {
        issue(
          ['features', 'sizes', 'items', i, 'type'],
          `typology ${p.building.typeId} allows only the "${only}" size type`,
        );
      }
    });
  }
  const types = new Set<string>();
  p.transactions.forEach((t, i) => {
    if (types.has(t.type)) {
      issue(['transactions', i, 'type'], `contract "${t.type}" given twice`);
    }
    types.add(t.type);
  });
}

/**
 * A listing as the portal's `<property>` element, camel-cased. Checks what the XSD checks
 * and the guide's rules it cannot express (EUR only, media limits, geography, room for
 * sale, garage and parking size types).
 */
// A check rather than `superRefine`: it stores no closure on zod's parse state, which V8
// would keep (with the parsed listing) past the young generation in a long feed.
export const PropertySchema = PropertyObjectSchema.check(checkGuideRules);

/** A listing, as accepted (dates as `Date` or ISO strings, defaults optional). */
export type PropertyInput = z.input<typeof PropertySchema>;
/** A listing of an agency (`agent` given, no `user`), as accepted. */
export type AgencyPropertyInput = PropertyInput & { agent: NonNullable<PropertyInput['agent']>; user?: undefined };
/** A listing after validation: defaults applied, dates as `xs:dateTime` text. */
export type Property = z.output<typeof PropertySchema>;
