import type { ImageRepo } from '../images/repo';
import type { ImageService } from '../images/service';
import type { Logger } from '../logger';
import type { ImportImages } from './service';

/**
 * How an imported reminder gets its image back: the importer's own image when the id is
 * theirs (a restore into the same account); otherwise a copy fetched from the export's signed
 * link, or from where the image was found on the web, through the same SSRF-guarded fetch as
 * `{url}` uploads. An id alone never grants access to someone else's image.
 */
export function importImages(
  repo: ImageRepo,
  images: Pick<ImageService, 'uploadFromUrl'>,
  logger: Logger,
): ImportImages {
  return {
    async attach(userId, ref) {
      if (await repo.findForUser(ref.id, userId)) return ref.id;
      for (const url of [ref.url, ref.sourceUrl]) {
        if (!url) continue;
        try {
          return (await images.uploadFromUrl(userId, '', url)).id;
        } catch (error) {
          logger.debug('import: image not fetched', { error: String(error) });
        }
      }
      return null;
    },
  };
}
