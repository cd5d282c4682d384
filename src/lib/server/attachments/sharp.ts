import sharp from 'sharp';

// Only the decoders for the image types we accept may run on uploaded bytes: SVG (librsvg), PDF,
// TIFF, raw formats, ImageMagick and the rest stay blocked for the whole process.
// The names are libvips's own loader classes: GIF is read by libnsgif (`Nsgif`), AVIF by libheif.
export const IMAGE_LOADERS = ['Jpeg', 'Png', 'Webp', 'Nsgif', 'Heif'].flatMap((f) => [
	`VipsForeignLoad${f}File`,
	`VipsForeignLoad${f}Buffer`
]);
sharp.block({ operation: ['VipsForeignLoad'] });
sharp.unblock({ operation: IMAGE_LOADERS });
// One libvips thread per image; the queue bounds how many images run at once.
sharp.concurrency(1);
// No cache of decoded images between requests: memory stays flat.
sharp.cache(false);

export { sharp };
