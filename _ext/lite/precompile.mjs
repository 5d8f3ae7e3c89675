// Start Pyodide in Node and run precompile.py in it (see there): make's install step for the
// browser kernel.
//   node _ext/lite/precompile.mjs RUNTIME_DIR OUT_DIR WHEEL...
// RUNTIME_DIR holds the npm package pyodide's files; OUT_DIR gets python_stdlib.zip and each
// wheel, compiled.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [runtime, out, ...wheels] = process.argv.slice(2);
if (!runtime || !out || wheels.length === 0) {
  console.error('usage: node precompile.mjs RUNTIME_DIR OUT_DIR WHEEL...');
  process.exit(2);
}
const { loadPyodide } = await import(path.resolve(runtime, 'pyodide.mjs'));
// The stdlib zip as shipped is the one Pyodide boots from here; its compiled copy goes to OUT_DIR.
const pyodide = await loadPyodide({
  indexURL: path.resolve(runtime) + '/',
  // Bytecode without column positions: a quarter smaller (precompile.py says what it costs).
  env: { PYTHONNODEBUGRANGES: '1' },
  stdout: (line) => process.stdout.write(line + '\n'),
  stderr: (line) => process.stderr.write(line + '\n'),
});
const { FS } = pyodide;
const mount = (dir, at) => { FS.mkdirTree(at); FS.mount(FS.filesystems.NODEFS, { root: path.resolve(dir) }, at); };
mount(runtime, '/course/runtime');
mount(out, '/course/out');
const inside = [];
wheels.forEach((w, i) => { mount(path.dirname(w), `/course/w${i}`); inside.push(`/course/w${i}/${path.basename(w)}`); });
const here = path.dirname(fileURLToPath(import.meta.url));
pyodide.runPython(readFileSync(path.join(here, 'precompile.py'), 'utf8'), { filename: 'precompile.py' });
pyodide.globals.get('precompile')('/course/runtime/python_stdlib.zip', pyodide.toPy(inside), '/course/out',
  readFileSync(path.join(here, 'kernel_start.py'), 'utf8'));
