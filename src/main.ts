// Production entry from source (npm start); the bundle's entry is src/cli/index.ts, which serves too.
import { serve } from './serve.js';

await serve();
