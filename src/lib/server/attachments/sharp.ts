import sharp from 'sharp';

// Only the decoders for the image types we accept may run on uploaded bytes: SVG (librsvg), PDF,
// TIFF, raw formats, ImageMagick and the rest stay blocked for the whole process.
sharp.block({ operation: ['VipsForeignLoad'] });
sharp.unblock({
	operation: ['Jpeg', 'Png', 'Webp', 'Gif', 'Heif'].flatMap((f) => [
		`VipsForeignLoad${f}File`,
		`VipsForeignLoad${f}Buffer`
	])
});
// One libvips thread per image; the queue bounds how many images run at once.
sharp.concurrency(1);
// No cache of decoded images between requests: memory stays flat.
sharp.cache(false);

export { sharp };
