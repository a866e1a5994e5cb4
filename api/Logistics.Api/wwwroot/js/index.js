import { translate, languageSwitch } from './i18n.js';

// The home page: links to the four pages, in the reader's language.
languageSwitch(document.getElementById('bar'));
translate();
