// The template selector and custom fields of the create form: loaded only for ticket types that
// use a template, not for every create page.
export { default as TemplatePicker } from './TemplatePicker.svelte';
export { default as CustomField } from './CustomField.svelte';
