import { z } from 'zod';
import { isIsoDate } from '../domain/archiveDate.js';
import type { Gallery, Job, Photographer } from '../domain/platformModel.js';

/**
 * The platform REST API's wire model (`platform-api.yaml`, OpenAPI 3.1), validated with
 * zod, and the one place where it is mapped to the domain model and back. The client
 * reads answers through `parse*`; the embedded platform's API server writes them through
 * `toWire*`, so both sides of the contract share one definition of it.
 *
 * Objects are not strict: a platform may add fields to its answers without breaking the
 * bot. Missing or mistyped fields are an unreadable answer.
 */

const text = z.string().min(1);
const isoDateOrNull = z.string().refine(isIsoDate, 'expected a date written yyyy-MM-dd').nullable();

export const wireGallerySchema = z.object({
  id: text,
  jobId: text,
  accessCode: text,
  activated: z.boolean(),
  photoCount: z.int().min(0),
  hiddenPhotoCount: z.int().min(0),
});
export type WireGallery = z.infer<typeof wireGallerySchema>;

export const wireJobSchema = z.object({
  id: text,
  name: z.string(),
  photographerId: text,
  /** Any string: `prepay` and statuses added later are "cannot diagnose" in the domain, never a parse error. */
  status: text,
  archiving: z.object({ enabled: z.boolean(), date: isoDateOrNull }),
  campaignActive: z.boolean(),
  deleted: z.boolean(),
  galleries: z.array(wireGallerySchema),
});
export type WireJob = z.infer<typeof wireJobSchema>;

export const wireAccessCodeSchema = z.object({
  code: text,
  state: z.enum(['active', 'retired']),
  jobId: text,
  galleryId: text,
});
export type WireAccessCode = z.infer<typeof wireAccessCodeSchema>;

export const wirePhotographerSchema = z.object({
  id: text,
  name: z.string(),
  email: z.string(),
  locale: z.string(),
  timeZone: z.string(),
  channels: z.object({
    msteams: z.array(z.string()).optional(),
    slack: z.array(z.string()).optional(),
  }),
});

export const photographerListSchema = z.object({ items: z.array(wirePhotographerSchema).max(1) });
export const jobListSchema = z.object({ items: z.array(wireJobSchema).max(20) });

export const wireErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type WireError = z.infer<typeof wireErrorSchema>;

/** `JobChange` of the contract: the fields of a job a PATCH may set, at least one. */
export const wireJobChangeSchema = z
  .strictObject({
    status: z.enum(['planning', 'selling', 'archived']).optional(),
    archiving: z.strictObject({ enabled: z.boolean(), date: isoDateOrNull }).optional(),
    campaignActive: z.boolean().optional(),
  })
  .refine((change) => Object.keys(change).length > 0, 'expected at least one field');
export type WireJobChange = z.infer<typeof wireJobChangeSchema>;

// ---- wire → domain -------------------------------------------------------------------

/**
 * The API reports how many photos a gallery holds and how many are hidden; the domain
 * asks "are there photos" and "are they all hidden", which the counts answer exactly.
 * Photo ids are not part of the contract, so the photos carry positional ids.
 */
export function galleryFromWire(gallery: WireGallery): Gallery {
  const hidden = Math.min(gallery.hiddenPhotoCount, gallery.photoCount);
  return {
    id: gallery.id,
    accessCode: gallery.accessCode,
    activated: gallery.activated,
    photos: Array.from({ length: gallery.photoCount }, (_, index) => ({ id: `${gallery.id}#${index + 1}`, hidden: index < hidden })),
  };
}

export function jobFromWire(job: WireJob): Job {
  return {
    id: job.id,
    name: job.name,
    photographerId: job.photographerId,
    status: job.status,
    archiving: { enabled: job.archiving.enabled, date: job.archiving.date },
    campaignActive: job.campaignActive,
    deleted: job.deleted,
    galleries: job.galleries.map(galleryFromWire),
  };
}

export function photographerFromWire(photographer: z.infer<typeof wirePhotographerSchema>): Photographer {
  const channels: Photographer['channels'] = {};
  if (photographer.channels.msteams !== undefined) channels.msteams = photographer.channels.msteams;
  if (photographer.channels.slack !== undefined) channels.slack = photographer.channels.slack;
  return { ...photographer, channels };
}

// ---- domain → wire (the embedded platform serving the API) ---------------------------

export function galleryToWire(jobId: string, gallery: Gallery): WireGallery {
  return {
    id: gallery.id,
    jobId,
    accessCode: gallery.accessCode,
    activated: gallery.activated,
    photoCount: gallery.photos.length,
    hiddenPhotoCount: gallery.photos.filter((photo) => photo.hidden).length,
  };
}

export function jobToWire(job: Job): WireJob {
  return {
    id: job.id,
    name: job.name,
    photographerId: job.photographerId,
    status: job.status,
    archiving: { ...job.archiving },
    campaignActive: job.campaignActive,
    deleted: job.deleted,
    galleries: job.galleries.map((gallery) => galleryToWire(job.id, gallery)),
  };
}
