import { z } from 'zod';
import { AmountSchema, double, int32, type LeafTable, leafShape, text, uri, XsDateSchema } from './common.js';

/**
 * The amenities of `extended` that are single values, by model key: `[XSD name, value]`.
 * One explicit table gives both the model's keys and the elements the writer writes.
 */
export const EXTENDED_LEAVES = {
  note: ['note', text(), 'cdata'],
  amountParking: ['amount-parking', int32()],
  garageType: [
    'garage-type',
    z.enum(['detached-garage', 'box-in-garage-complex', 'parking-space-indoor', 'parking-space-outdoor', 'carport']),
  ],
  amountCarParking: ['amount-car-parking', int32()],
  amountMotorcycleParking: ['amount-motorcycle-parking', int32()],
  garageDoorWidth: ['garage-door-width', double()],
  amountTerrace: ['amount-terrace', int32()],
  amountBalcony: ['amount-balcony', int32()],
  amountLevels: ['amount-levels', int32()],
  amountSgl: ['amount-sgl', int32()],
  amountDbl: ['amount-dbl', int32()],
  innerExposition: ['inner-exposition', z.boolean()],
  outerExposition: ['outer-exposition', z.boolean()],
  entrance: ['entrance', z.boolean()],
  closet: ['closet', z.boolean()],
  basement: ['basement', z.boolean()],
  penthouse: ['penthouse', z.boolean()],
  tavern: ['tavern', z.boolean()],
  fireplace: ['fireplace', z.boolean()],
  securityDoor: ['security-door', z.boolean()],
  tub: ['tub', z.boolean()],
  securityAlarm: ['security-alarm', z.boolean()],
  swimmingPool: ['swimming-pool', z.boolean()],
  tennis: ['tennis', z.boolean()],
  electricGate: ['electric-gate', z.boolean()],
  electricGarageDoor: ['electric-garage-door', z.boolean()],
  electricCarCharging: ['electric-car-charging', int32()],
  opticalFiber: ['optical-fiber', z.boolean()],
  broadbandInternet: ['broadband-internet', z.boolean()],
  concierge: ['concierge', z.enum(['true', 'yes', 'false', 'no', 'half-day'])],
  videoIntercom: ['video-intercom', z.boolean()],
  externalFrames: [
    'external-frames',
    z.enum([
      'nd',
      'glass/wood',
      'glass/metal',
      'double glass/wood',
      'double glass/metal',
      'triple glass/wood',
      'triple glass/metal',
      'glass/pvc',
      'double glass/pvc',
      'triple glass/pvc',
    ]),
  ],
  tv: ['tv', z.enum(['nd', 'centralized', 'private', 'satellite'])],
  sharable: ['sharable', z.boolean()],
  certified: ['certified', z.boolean()],
  buildingSiteStatus: ['building-site-status', text(), 'cdata'],
  disabledPeopleAccess: ['disabled-people-access', z.boolean()],
  disabledPeopleToilet: ['disabled-people-toilet', z.boolean()],
  freeSide: ['free-side', z.enum(['uno', 'due, paralleli', 'due, ad angolo', 'tre', 'quattro'])],
  orientation: [
    'orientation',
    z.enum(['north', 'south', 'east', 'west', 'north-east', 'north-west', 'south-east', 'south-west']),
  ],
  floorLevel: ['floor-level', z.enum(['low', 'medium', 'high'])],
  agreement: ['agreement', XsDateSchema],
  innerSubdivision: ['inner-subdivision', z.enum(['open-space', 'semi-open-space', 'compartments'])],
  amountCupboard: ['amount-cupboard', int32()],
  raisedFloor: ['raised-floor', z.boolean()],
  gym: ['gym', z.boolean()],
  loadUnloadArea: ['load-unload-area', z.boolean()],
  privateField: ['private-field', z.boolean()],
  driveway: ['driveway', z.boolean()],
  fencedProperty: ['fenced-property', z.boolean()],
  cctvSupervision: ['cctv-supervision', z.boolean()],
  accessibility24h: ['accessibility-24h', z.boolean()],
  kitchen: ['kitchen', z.boolean()],
  bikeParking: ['bike-parking', z.boolean()],
  falseCeiling: ['false-ceiling', z.boolean()],
  accessCheck: ['access-check', z.boolean()],
  fireDetector: ['fire-detector', z.boolean()],
  fireProtectionRain: ['fire-protection-rain', z.boolean()],
  fireProtectionHydrant: ['fire-protection-hydrant', z.boolean()],
  fireDoor: ['fire-door', z.boolean()],
  emergencyExit: ['emergency-exit', z.boolean()],
  emergencyLights: ['emergency-lights', z.boolean()],
  hotDrinks: ['hot-drinks', z.boolean()],
  multifunctionPrinter: ['multifunction-printer', z.boolean()],
  convivialityRoom: ['conviviality-room', z.boolean()],
  microwaveOven: ['microwave-oven', z.boolean()],
  cleaningService: ['cleaning-service', z.boolean()],
  waitingRoom: ['waiting-room', z.boolean()],
  refrigerator: ['refrigerator', z.boolean()],
  parcelCollectionStorageService: ['parcel-collection-storage-service', z.boolean()],
  dishwasher: ['dishwasher', z.boolean()],
  talkingPhoneSpaces: ['talking-phone-spaces', z.boolean()],
  registeredOffice: ['registered-office', z.boolean()],
  badge: ['badge', z.boolean()],
  backgroundMusic: ['background-music', z.boolean()],
  tvScreen: ['TV-screen', z.boolean()],
  privateLocker: ['private-locker', z.boolean()],
  newspapers: ['newspapers', z.boolean()],
  fruit: ['fruit', z.boolean()],
  coffeeBar: ['coffee-bar', z.boolean()],
  shower: ['shower', z.boolean()],
  watchman: ['watchman', z.boolean()],
  barberHairdresser: ['barber-hairdresser', z.boolean()],
  childCareCenter: ['child-care-center', z.boolean()],
  fitnessRoom: ['fitness-room', z.boolean()],
  otherServices: ['other-services', z.boolean()],
  waterConnection: ['water-connection', z.boolean()],
  electricalConnection: ['electrical-connection', z.boolean()],
  gasConnection: ['gas-connection', z.boolean()],
  sewerConnection: ['sewer-connection', z.boolean()],
  streetLights: ['street-lights', z.boolean()],
  arableLand: ['arable-land', z.boolean()],
  grassland: ['grassland', z.boolean()],
  paddyField: ['paddy-field', z.boolean()],
  pasture: ['pasture', z.boolean()],
  garden: ['garden', z.boolean()],
  citrusGrove: ['citrus-grove', z.boolean()],
  oliveTreeGrove: ['olive-tree-grove', z.boolean()],
  vineyard: ['vineyard', z.boolean()],
  orchard: ['orchard', z.boolean()],
  wood: ['wood', z.boolean()],
  chestnutGrove: ['chestnut-grove', z.boolean()],
  uncultivated: ['uncultivated', z.boolean()],
  lockerRoom: ['locker-room', z.boolean()],
  diningHall: ['dining-hall', z.boolean()],
  fumeAspiration: ['fume-aspiration', z.boolean()],
  mechanicalVentilation: ['mechanical-ventilation', z.boolean()],
  electricShutter: ['electric-shutter', z.boolean()],
  manualShutter: ['manual-shutter', z.boolean()],
  cornerPosition: ['corner-position', z.boolean()],
  doubleEntrance: ['double-entrance', z.boolean()],
  chimneyFlue: ['chimney-flue', z.boolean()],
  availableForStudents: ['available-for-students', z.boolean()],
  buildingCoverageRatio: ['building-coverage-ratio', double()],
  solarThermal: ['solar-thermal', z.boolean()],
  masterPlan: ['master-plan', z.boolean()],
  equippedForElderly: ['equipped-for-elderly', z.boolean()],
  separateToilet: ['separate-toilet', z.boolean()],
  electricCarChargingStation: ['electric-car-charging-station', z.boolean()],
  seaDistance: ['sea-distance', int32()],
} as const satisfies LeafTable;

/** What a building is used for (`building-usages/building-usage`). */
export const BuildingUsageSchema = z.strictObject({
  usage: z.enum([
    'residential',
    'office',
    'commercial',
    'hotel',
    'industrial',
    'castle',
    'warehouse',
    'services',
    'single-unit',
    'multiple-units',
    'other',
  ]),
  /** Free text about that use. */
  value: text().default(''),
});

/** A link about the listing (`links/link`): a public sale's page, a building site, a partner's page. */
export const LinkSchema = z.strictObject({
  url: uri(),
  type: z.enum(['pvp', 'other', 'building-site', 'housing-anywhere', 'roomless-rent']).optional(),
  /** The link's caption. */
  title: text().default(''),
});
/** A link about the listing. */
export type Link = z.infer<typeof LinkSchema>;

/**
 * The amenities of a listing (`extended`): every element of the XSD's `extended` group — the
 * single values of {@link EXTENDED_LEAVES} plus orientations, deposit, building usages, links
 * and views. All optional; booleans are written as `true` / `false`.
 */
export const ExtendedSchema = z.strictObject({
  ...leafShape(EXTENDED_LEAVES),
  /** Exposures of the property (`orientations/orientation`). */
  orientations: z
    .array(z.enum(['north', 'south', 'east', 'west']))
    .min(1)
    .optional(),
  /** Security deposit (`deposit`). */
  deposit: AmountSchema.optional(),
  buildingUsages: z.array(BuildingUsageSchema).min(1).optional(),
  links: z.array(LinkSchema).min(1).optional(),
  /** What can be seen from the property (`views/view`). */
  views: z
    .array(z.enum(['sea', 'lake', 'mountain', 'panorama', 'river', 'park']))
    .min(1)
    .optional(),
});
/** The amenities of a listing, as accepted. */
export type ExtendedInput = z.input<typeof ExtendedSchema>;
/** The amenities of a listing. */
export type Extended = z.infer<typeof ExtendedSchema>;
