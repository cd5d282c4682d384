/** A file chosen in an attachment picker, with an object URL when it is an image. */
export interface Chosen {
	file: File;
	url: string | null;
}
