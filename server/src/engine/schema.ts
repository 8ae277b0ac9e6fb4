// zod's English messages for the schemas of mlready, which take zod's tree-shakable build
// (`import * as z from 'zod/mini'`): `parseNotebookJson`, the attestations and the editor's
// settings show its messages. The chainable build (`zod`) was 734 KB of the 1.9 MB bundle each
// `mlready check` worker compiles and runs before its first file (docs/performance.md, "zod's
// small build"). Imported for its effect by every module that declares a schema; loading the
// engine loads it.
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());
