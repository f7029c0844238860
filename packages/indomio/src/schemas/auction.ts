import { z } from 'zod';
import { AmountSchema, DateTimeSchema, DecimalAmountSchema, email, nonEmpty, text } from './common.js';
import { DescriptionSchema } from './features.js';
import { LocationSchema } from './location.js';
import { PictureSchema } from './media.js';

/** One session of an auction (`auctions/auction`, the XSD's `auction-event`). */
export const AuctionEventSchema = z.strictObject({
  date: DateTimeSchema,
  startingPrice: DecimalAmountSchema.optional(),
  type: z
    .enum([
      'a trattativa privata',
      'asincrona',
      'asta privata',
      'atto pubblico notarile',
      'con incanto',
      'gara informale',
      'invito a manifestare interesse',
      'invito a offrire',
      'licitazione privata',
      'mezzo commissionario',
      'tramite commissionario',
      'offerta segreta',
      'senza incanto',
      'senza incanto - seguito aumento di un quinto',
      'sollecitazione di locazione',
      'udienza di assegnazione',
      'vendita competitiva',
      'competitiva',
      'vendita da definire',
      'vendita online',
    ])
    .optional(),
  status: z.enum(['partecipabile', 'non più partecipabile', 'asta deserta', 'sospesa']).optional(),
  mode: z.enum(['presso il venditore', 'sincrona telematica', 'sincrona mista', 'asincrona telematica']).optional(),
});
/** One session of an auction. */
export type AuctionEvent = z.infer<typeof AuctionEventSchema>;

/** The court's file of the sale (`reference`): its number and year. */
export const AuctionReferenceSchema = z.strictObject({
  value: text().default(''),
  year: z.int32().optional(),
  number: text().optional(),
});

/** Roles of the people of an auction (`actor/@type`). */
export const AuctionActorTypeSchema = z.enum([
  'giudice',
  'delegato',
  'professionista delegato',
  'delegato alla vendita',
  'custode',
  'creditore',
  'richiedente',
  'referente',
  'curatore',
  'curatore fallimentare',
  'geometra',
  'controparte istituzionale',
  'firmatario',
  'ctu',
  'avvocato',
  'commissario',
  'commissario straordinario',
  'commissario giudiziale',
  'commissario liquidatore',
  'liquidatore',
  'liquidatore giudiziale',
  'soggetto specializzato alla vendita',
  'persona autorizzata alla vendita',
  'istituto vendite giudiziarie',
  'commissionario',
  'amministratore di sostegno',
  'tutore',
  'gestore per la liquidazione',
  'legale della parte',
  'pignorante con procedure de formalizzate',
  'ufficiale giudiziario',
  'altro soggetto',
]);

/** A person of an auction: judge, delegate, custodian… (`actors/actor`). */
export const AuctionActorSchema = z.strictObject({
  type: AuctionActorTypeSchema,
  /** The person's id in the CRM (`@ID`). */
  externalId: text().optional(),
  name: nonEmpty(),
  lastname: text().optional(),
  taxCode: text().optional(),
  phone: text().optional(),
  mobile: text().optional(),
  email: email().optional(),
  fax: text().optional(),
  sellingOperations: z.boolean().optional(),
  estateJourney: z.boolean().optional(),
});
/** A person of an auction. */
export type AuctionActor = z.infer<typeof AuctionActorSchema>;

/** A way to reach a court (`contact-data/contact-detail`). */
export const ContactDetailSchema = z.strictObject({
  type: z
    .enum([
      'telefono',
      'fax',
      'cellulare',
      'email',
      'sito',
      'pagina facebook',
      'account twitter',
      'account linkedin',
      'altro social',
      'note',
    ])
    .optional(),
  value: text().optional(),
  main: z.boolean().optional(),
});

/** The court of a judicial sale (`court`). */
export const CourtSchema = z.strictObject({
  name: text().optional(),
  type: z.enum(['court', 'other']).optional(),
  info: z
    .strictObject({
      /** Where the data about the court come from (`@source`). */
      source: text(),
      /** The court's id in the CRM (`@ID`). */
      externalId: text().optional(),
      address: text().optional(),
      zipCode: text().optional(),
      picture: PictureSchema.optional(),
      location: LocationSchema.optional(),
      description: DescriptionSchema.optional(),
      extraInfo: text().optional(),
      /** `[]` writes an empty list. */
      contactData: z.array(ContactDetailSchema).optional(),
    })
    .optional(),
});
/** The court of a judicial sale. */
export type Court = z.infer<typeof CourtSchema>;

/** Kinds of judicial or voluntary procedure of a sale (`auction-execution-type`). */
export const AuctionExecutionTypeSchema = z.enum([
  'accordo di ristrutturazione',
  'amministrazione giudiziaria mp',
  'amministrazione straordinaria',
  'appalto',
  'causa civile',
  'composizione crisi da sovraindebitamento',
  'concordato fallimentare',
  'concordato preventivo',
  'divisione giudiziale',
  'eredità giacente',
  'esecuzione immobiliare',
  'esecuzione penale',
  'fallimento',
  'liquidazione coatta',
  'liquidazione volontaria-giudiziale',
  'misura di prevenzione',
  'procedura esattoriale',
  'procedura concorsuale',
  "scioglimento per atto d'autorità",
  'sequestro preventivo',
  'usucapione',
  'vendita immobiliare',
  'volontaria giurisdizione',
  'giudiziaria',
  'altra vendita',
]);

/** The auction data of a listing sold at auction (`auction-features`). */
export const AuctionFeaturesSchema = z.strictObject({
  /** The kind of procedure (`@type`). */
  type: AuctionExecutionTypeSchema.optional(),
  /** The sessions, at least one (`auctions/auction`). */
  auctions: z.array(AuctionEventSchema).min(1),
  startingPrice: AmountSchema,
  minimumBid: AmountSchema.optional(),
  successPrice: DecimalAmountSchema.optional(),
  court: CourtSchema.optional(),
  reference: AuctionReferenceSchema.optional(),
  /** The people of the auction; `wsLeads` asks for leads through the portal's web service (`@ws-leads`). */
  actors: z.strictObject({ wsLeads: z.boolean().optional(), items: z.array(AuctionActorSchema) }).optional(),
  notes: text().optional(),
});
/** The auction data of a listing sold at auction, as accepted. */
export type AuctionFeaturesInput = z.input<typeof AuctionFeaturesSchema>;
/** The auction data of a listing sold at auction. */
export type AuctionFeatures = z.infer<typeof AuctionFeaturesSchema>;
