import type { Gallery, KeptCodeLookup } from './platformModel.js';

/**
 * Everything the state machine needs to know, whether it came from the platform's data
 * or from the answers of a person without data access. `null` means "not known".
 */
export interface Facts {
  /** `unknown`: exists nowhere; `retired`: belonged to a deleted job; `found`: a live code. */
  code: 'unknown' | 'retired' | 'found';
  jobStatus: string | null;
  codeActivated: boolean | null;
  /** The code's gallery holds at least one photo. */
  photosLinked: boolean | null;
  /** Every photo in the gallery is hidden. */
  allPhotosHidden: boolean | null;
}

/** The facts a person is asked for when there is no platform data, in asking order. */
export const ASKABLE_FACTS = ['jobStatus', 'codeActivated', 'photosLinked', 'allPhotosHidden'] as const;
export type AskableFact = (typeof ASKABLE_FACTS)[number];

/** Facts for a live code about which nothing is known yet. */
export const UNKNOWN_FACTS: Facts = {
  code: 'found',
  jobStatus: null,
  codeActivated: null,
  photosLinked: null,
  allPhotosHidden: null,
};

/** Statuses compare in lower case: platforms write `Selling` as often as `selling`. */
export function normalizeJobStatus(status: string): string {
  return status.trim().toLowerCase();
}

export function factsFromGallery(jobStatus: string, gallery: Gallery): Facts {
  const photosLinked = gallery.photos.length > 0;
  return {
    code: 'found',
    jobStatus: normalizeJobStatus(jobStatus),
    codeActivated: gallery.activated,
    photosLinked,
    allPhotosHidden: photosLinked ? gallery.photos.every((photo) => photo.hidden) : null,
  };
}

/**
 * How many of a gallery's photos are hidden. Some hidden is no fault that keeps a gallery
 * shut (the photographer may hide a failed shot), but a customer who misses photos is told so.
 */
export function hiddenPhotos(gallery: Gallery): { hidden: number; total: number } {
  return { hidden: gallery.photos.filter((photo) => photo.hidden).length, total: gallery.photos.length };
}

export function factsFromLookup(lookup: KeptCodeLookup): Facts {
  switch (lookup.kind) {
    case 'unknown':
      return { ...UNKNOWN_FACTS, code: 'unknown' };
    case 'retired':
      return { ...UNKNOWN_FACTS, code: 'retired', jobStatus: normalizeJobStatus(lookup.job.status) };
    case 'found':
      return factsFromGallery(lookup.job.status, lookup.gallery);
  }
}
