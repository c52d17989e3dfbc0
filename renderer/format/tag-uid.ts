/** The renderer's name for core's one UID spelling (`04:A2:24:B2`), so screens and history agree. */
export { formatTagUid } from '../../core/tags/uid-text.ts';
