// Imported first by main.tsx. The server's Content-Security-Policy has no 'unsafe-eval' (see
// packages/server/src/http/security-headers.ts); zod would probe `Function('')` to decide whether to compile its
// parsers, which the policy blocks and reports as a violation. Parsers run without that compilation instead.
import { z } from 'zod';

z.config({ jitless: true });
