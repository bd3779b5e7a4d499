// npm run build: type-check everything, then compile apps/, libs/ and migrations/ with swc into dist/,
// keeping the tree (path aliases rewritten to relative paths), and give each app dist/apps/<app>/main.js.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const skip = (path) => /(\.spec\.ts|\.d\.ts)$/.test(path) || /[/\\](__tests__|test-support)[/\\]/.test(path);

if (!process.argv.includes('--no-typecheck')) {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.error('build: type errors, nothing written');
    process.exit(1);
  }
}

const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
const options = { ...swcrc, swcrc: false, jsc: { ...swcrc.jsc, baseUrl: root, paths: tsconfig.compilerOptions.paths } };

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

rmSync(out, { recursive: true, force: true });
let count = 0;
for (const top of ['apps', 'libs', 'migrations']) {
  for (const file of files(join(root, top))) {
    if (skip(file)) continue;
    const target = join(out, relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    if (file.endsWith('.ts')) {
      const { code, map } = swc.transformFileSync(file, { ...options, filename: file, sourceMaps: true });
      const js = target.replace(/\.ts$/, '.js');
      writeFileSync(js, `${code}\n//# sourceMappingURL=${js.split(/[/\\]/).pop()}.map\n`);
      if (map) writeFileSync(`${js}.map`, map);
      count++;
    } else if (!file.endsWith('.md')) {
      cpSync(file, target);
    }
  }
}
for (const app of readdirSync(join(root, 'apps'))) {
  if (!statSync(join(root, 'apps', app, 'src', 'main.ts'), { throwIfNoEntry: false })) continue;
  writeFileSync(join(out, 'apps', app, 'main.js'), "require('./src/main.js');\n");
}
console.log(`build: ${count} files compiled to dist/; apps at dist/apps/<app>/main.js`);
