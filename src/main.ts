// `npm start` runs dist/main.js: the server, as src/server/serve.ts sets it up.
import "./server/serve.js";
