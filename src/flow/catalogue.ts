/** The mail-client catalogue (flows/clients.json): which products exist, on which OS, with which manual. */
import { z } from 'zod';

export const osIds = ['windows', 'mac', 'smartphone'] as const;
export type Os = (typeof osIds)[number];

const versionSchema = z.union([
  z.object({ min: z.string().regex(/^\d+(\.\d+)*$/) }).strict(),
  z.object({ exact: z.string().regex(/^\d+(\.\d+)*$/) }).strict(),
]);

const editionSchema = z
  .object({
    manual: z.string().min(1, 'every client needs a manual path'),
    version: versionSchema.optional(),
    note: z.string().regex(/^[a-z_]+$/).optional(),
  })
  .strict();

const productSchema = z
  .object({
    name: z.string().min(1),
    aliases: z.array(z.string().trim().min(1, 'an alias may not be empty')).min(1),
    // Names that mean this program only where the customer's system is one of its editions (「Gmail」 on Android).
    aliases_on_its_system: z.array(z.string().trim().min(1, 'an alias may not be empty')).optional(),
    status: z.enum(['current', 'legacy', 'unsupported']),
    editions: z.partialRecord(z.enum(osIds), editionSchema).refine((e) => Object.keys(e).length > 0, 'needs at least one edition'),
  })
  .strict();

export const catalogueSchema = z.object({
  $comment: z.string().optional(),
  os: z.array(z.enum(osIds)),
  products: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'product ids are lower_snake_case'), productSchema),
});

export type Catalogue = z.infer<typeof catalogueSchema>;
export type Product = Catalogue['products'][string];
export type Edition = z.infer<typeof editionSchema>;

export interface ResolvedEdition {
  product: string;
  os: Os;
  edition: Edition;
}

/** The edition meant when a customer names `product`, given what we know of their OS. */
export function resolveEdition(catalogue: Catalogue, product: string | undefined, os?: Os): ResolvedEdition | undefined {
  if (!product) return undefined;
  const entry = catalogue.products[product];
  if (!entry) return undefined;
  if (os) {
    const edition = entry.editions[os];
    return edition ? { product, os, edition } : undefined;
  }
  const only = Object.entries(entry.editions);
  if (only.length !== 1) return undefined;
  const [onlyOs, edition] = only[0]!;
  return { product, os: onlyOs as Os, edition };
}

export function productsFor(catalogue: Catalogue, os: Os): string[] {
  return Object.entries(catalogue.products)
    .filter(([, p]) => p.editions[os] !== undefined && p.status !== 'unsupported')
    .map(([id]) => id);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * True when the customer's version predates the one the notice confirmed.
 * Outlook's marketing versions (2007, 2016…) and internal ones (12, 16) do not mix, so a version
 * is only compared when it has the same number of leading digits as the notice's.
 */
export function isTooOld(edition: Edition, version: string | undefined): boolean {
  const floor = edition.version && ('min' in edition.version ? edition.version.min : edition.version.exact);
  if (!floor || !version || !/^\d+(\.\d+)*$/.test(version)) return false;
  const majorDigits = (v: string) => v.split('.')[0]!.length;
  const typed = asYear(floor, version);
  if (majorDigits(floor) !== majorDigits(typed)) return false;
  return compareVersions(typed, floor) < 0;
}

/** Year-named versions written with two digits (Outlook 97, 98) are the 1990s' years: compared as 1997, 1998. */
function asYear(floor: string, version: string): string {
  return floor.split('.')[0]!.length === 4 && /^9\d$/.test(version) ? `19${version}` : version;
}
