// Writes the demo's sample CRM data set: `node docs/examples/generate-data.ts`.
// Seeded, so the committed file is reproducible: the same seed always gives the same listings.
import { writeFileSync } from 'node:fs';
import type { Listing, PropertyType } from '@sync/core';

/** Photo URLs point at this origin; the demo replaces it with its local image host. */
export const IMAGE_ORIGIN = 'https://images.demo.invalid';

const SEED = 20_261_122;
const COUNT = 240;

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = [
  {
    city: 'Milano',
    region: 'Lombardia',
    postalCode: '20121',
    lat: 45.4642,
    lng: 9.19,
    districts: ['Brera', 'Navigli', 'Isola', 'Porta Romana'],
  },
  {
    city: 'Roma',
    region: 'Lazio',
    postalCode: '00184',
    lat: 41.9028,
    lng: 12.4964,
    districts: ['Monti', 'Trastevere', 'Prati', 'Testaccio'],
  },
  {
    city: 'Torino',
    region: 'Piemonte',
    postalCode: '10121',
    lat: 45.0703,
    lng: 7.6869,
    districts: ['Crocetta', 'San Salvario', 'Vanchiglia'],
  },
  {
    city: 'Bologna',
    region: 'Emilia-Romagna',
    postalCode: '40121',
    lat: 44.4949,
    lng: 11.3426,
    districts: ['Santo Stefano', 'Bolognina', 'Saragozza'],
  },
  {
    city: 'Firenze',
    region: 'Toscana',
    postalCode: '50122',
    lat: 43.7696,
    lng: 11.2558,
    districts: ['Oltrarno', 'Campo di Marte', 'Novoli'],
  },
  {
    city: 'Napoli',
    region: 'Campania',
    postalCode: '80132',
    lat: 40.8518,
    lng: 14.2681,
    districts: ['Chiaia', 'Vomero', 'Posillipo'],
  },
  {
    city: 'Jesi',
    region: 'Marche',
    postalCode: '60035',
    lat: 43.5176,
    lng: 13.2506,
    districts: ['Centro Storico', 'San Giuseppe'],
  },
] as const;

const STREETS = [
  'Via Roma',
  'Via Garibaldi',
  'Corso Italia',
  'Via Mazzini',
  'Via Dante',
  'Viale Europa',
  'Via Verdi',
  'Via Marconi',
];

const AGENTS = [
  { id: 'AG-01', name: 'Anna Rossi', email: 'anna.rossi@example.com', phone: '+39 333 100 0001' },
  { id: 'AG-02', name: 'Marco Bianchi', email: 'marco.bianchi@example.com', phone: '+39 333 100 0002' },
  { id: 'AG-03', name: 'Giulia Romano', email: 'giulia.romano@example.com', phone: '+39 333 100 0003' },
  { id: 'AG-04', name: 'Luca Ferrari', email: 'luca.ferrari@example.com', phone: '+39 333 100 0004' },
  { id: 'AG-05', name: 'Sara Esposito', email: 'sara.esposito@example.com', phone: '+39 333 100 0005' },
];

/** Types of the data set, with their category, weight and size range in m². */
const TYPES: Array<{
  type: PropertyType;
  category: 'residential' | 'commercial';
  weight: number;
  area: [number, number];
}> = [
  { type: 'apartment', category: 'residential', weight: 40, area: [45, 140] },
  { type: 'studio', category: 'residential', weight: 10, area: [25, 45] },
  { type: 'penthouse', category: 'residential', weight: 6, area: [90, 260] },
  { type: 'house', category: 'residential', weight: 14, area: [90, 320] },
  { type: 'villa', category: 'residential', weight: 8, area: [180, 600] },
  { type: 'office', category: 'commercial', weight: 12, area: [40, 400] },
  { type: 'retail', category: 'commercial', weight: 10, area: [30, 250] },
];

const ADJECTIVES_EN = ['Bright', 'Renovated', 'Quiet', 'Spacious', 'Elegant', 'Sunny', 'Modern', 'Charming'];
const ADJECTIVES_IT = [
  'Luminoso',
  'Ristrutturato',
  'Tranquillo',
  'Spazioso',
  'Elegante',
  'Soleggiato',
  'Moderno',
  'Affascinante',
];
const FEATURES_EN = [
  'a balcony over the courtyard',
  'a fitted kitchen',
  'air conditioning',
  'a cellar',
  'a lift',
  'parquet floors',
  'double glazing',
  'a private garden',
];
const FEATURES_IT = [
  'un balcone sul cortile',
  'una cucina attrezzata',
  'aria condizionata',
  'una cantina',
  "l'ascensore",
  'pavimenti in parquet',
  'doppi vetri',
  'un giardino privato',
];

export function generateListings(count = COUNT, seed = SEED): Listing[] {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const totalWeight = TYPES.reduce((sum, t) => sum + t.weight, 0);
  const pickType = () => {
    let r = rnd() * totalWeight;
    for (const t of TYPES) {
      r -= t.weight;
      if (r < 0) return t;
    }
    return TYPES[0] as (typeof TYPES)[number];
  };

  return Array.from({ length: count }, (_, i): Listing => {
    const id = `CRM-${1000 + i}`;
    const kind = pickType();
    const place = pick(CITIES);
    const district = pick(place.districts);
    const offer = rnd() < 0.7 ? 'sale' : 'rent';
    const area = int(kind.area[0], kind.area[1]);
    const residential = kind.category === 'residential';
    const bedrooms = residential
      ? Math.min(7, Math.max(kind.type === 'studio' ? 0 : 1, Math.round(area / 45)))
      : undefined;
    const price =
      offer === 'sale' ? Math.round((area * int(1800, 6500)) / 1000) * 1000 : Math.round((area * int(9, 28)) / 10) * 10;
    const adjective = int(0, ADJECTIVES_EN.length - 1);
    const f1 = int(0, FEATURES_EN.length - 1);
    const f2 = (f1 + int(1, FEATURES_EN.length - 1)) % FEATURES_EN.length;
    const photos = Array.from({ length: int(3, 8) }, (_, k) => ({ url: `${IMAGE_ORIGIN}/${id}/${k + 1}.jpg` }));
    const statusDraw = rnd();
    const month = int(1, 10);
    const day = int(1, 28);
    return {
      id,
      offer,
      price,
      currency: 'EUR',
      ...(offer === 'rent' ? { rentPeriod: 'month' as const } : {}),
      category: kind.category,
      type: kind.type,
      ...(residential ? { rooms: (bedrooms ?? 0) + 1, bedrooms } : {}),
      bathrooms: Math.max(1, Math.round(area / 90)),
      area,
      ...(kind.type === 'house' || kind.type === 'villa' ? {} : { floor: int(0, 8) }),
      address: {
        country: 'IT',
        region: place.region,
        city: place.city,
        district,
        street: pick(STREETS),
        streetNumber: String(int(1, 180)),
        postalCode: place.postalCode,
        latitude: Number((place.lat + (rnd() - 0.5) * 0.04).toFixed(5)),
        longitude: Number((place.lng + (rnd() - 0.5) * 0.04).toFixed(5)),
      },
      title: {
        en: `${ADJECTIVES_EN[adjective]} ${kind.type} in ${district}, ${place.city}`,
        it: `${ADJECTIVES_IT[adjective]} ${kind.type === 'apartment' ? 'appartamento' : kind.type} a ${district}, ${place.city}`,
      },
      description: {
        en: `${ADJECTIVES_EN[adjective]} ${kind.type} of ${area} m² in ${district}, ${place.city}, with ${FEATURES_EN[f1]} and ${FEATURES_EN[f2]}. Close to shops, schools and public transport.`,
        it: `${ADJECTIVES_IT[adjective]} immobile di ${area} m² a ${district}, ${place.city}, con ${FEATURES_IT[f1]} e ${FEATURES_IT[f2]}. Vicino a negozi, scuole e mezzi pubblici.`,
      },
      photos,
      agent: pick(AGENTS),
      status: statusDraw < 0.9 ? 'active' : statusDraw < 0.95 ? 'inactive' : 'draft',
      updatedAt: `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(int(8, 19)).padStart(2, '0')}:00:00Z`,
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = new URL('./data/listings.json', import.meta.url);
  writeFileSync(file, `${JSON.stringify(generateListings(), null, 2)}\n`);
  console.log(`wrote ${COUNT} listings to ${file.pathname}`);
}
