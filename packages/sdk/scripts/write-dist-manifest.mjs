// Writes dist/package.json (and copies the README) so that `npm publish dist` publishes compiled
// JavaScript and type declarations, while the workspace itself runs the TypeScript sources.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
delete manifest.scripts;
delete manifest.devDependencies;
manifest.exports = { ".": { types: "./lib/index.d.ts", default: "./lib/index.js" } };
manifest.main = "./lib/index.js";
manifest.types = "./lib/index.d.ts";
manifest.files = ["lib", "README.md"];
writeFileSync("dist/package.json", `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync("README.md", "dist/README.md");
process.stdout.write("dist/ is ready: npm publish dist\n");
