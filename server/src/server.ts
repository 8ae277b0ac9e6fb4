// The mlready language server: `node dist/server.js --stdio` (any LSP editor) or over IPC (the VS Code client).
import { startServer } from './lsp/start';

startServer();
