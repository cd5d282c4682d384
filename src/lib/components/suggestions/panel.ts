// The suggestion panel's work, loaded on the first keystroke in the title or description (or when
// a form shown again already has text): search-as-you-type, the list, and where the list sits.
import type { Suggestion } from '$lib/shared/types';
import { createSuggester } from './suggester';

export { default as SuggestionList } from './SuggestionList.svelte';

/**
 * Searches for what the title and description inside `root` say; ≥ 1024 px `list` stays in its
 * panel on the right, narrower it moves right under the title field.
 */
export function start(
	root: HTMLElement,
	list: HTMLElement,
	project: string,
	onResults: (results: Suggestion[]) => void
) {
	const suggester = createSuggester({ url: `/ticket/${project}/suggestions`, onResults });
	const home = list.parentElement;
	const mq = matchMedia('(min-width: 1024px)');
	const goHome = () => home && list.parentElement !== home && home.append(list);
	function place() {
		if (mq.matches) return goHome();
		const title = root.querySelector('[name="title"]');
		(title?.closest('.field') ?? title)?.after(list);
	}
	const field = (name: string) =>
		root.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`)?.value ?? '';
	place();
	mq.addEventListener('change', place);
	return {
		read: () => suggester.update(`${field('title')} ${field('description').slice(0, 200)}`),
		destroy() {
			mq.removeEventListener('change', place);
			suggester.destroy();
			goHome();
		}
	};
}
