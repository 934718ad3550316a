// The entry of `npm start` and of the container (dist/main.js); `onetime serve` calls the same serve().
import { serve } from "./server/serve.js";

await serve();
