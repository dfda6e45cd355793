// Prints the largest files, the largest functions and the project import graph of the
// production code (apps/, libs/; specs and testing/ left out), and the comment blocks of 5+ lines
// in all of apps/ and libs/, so a change's effect can be compared on any checkout:
// `node tools/scripts/structure-report.mjs [repo dir] [top N] [--comment-blocks]`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const listCommentBlocks = process.argv.includes('--comment-blocks');
const root = resolve(args[0] ?? '.');
const top = Number(args[1] ?? 15);
const TEST = /(\.spec\.tsx?|\.int-spec\.ts|\.e2e-spec\.ts)$|\/testing\//;

function sources(dir) {
  return readdirSync(join(root, dir), { recursive: true })
    .map((path) => join(dir, String(path)))
    .filter((path) => /\.tsx?$/.test(path) && !/(^|\/)(node_modules|dist)\//.test(path))
    .filter((path) => statSync(join(root, path)).isFile());
}

const allFiles = ['apps', 'libs'].flatMap(sources).sort();
const files = allFiles.filter((path) => !TEST.test(path));
const projectOf = (path) => path.split('/').slice(0, 2).join('/');
const lines = new Map();
const functions = [];
const graph = new Map();

for (const path of files) {
  const text = readFileSync(join(root, path), 'utf8');
  lines.set(path, text.split('\n').length);
  const source = ts.createSourceFile(
    path,
    text,
    ts.ScriptTarget.ES2022,
    true,
    path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const deps = graph.get(projectOf(path)) ?? new Set();
  graph.set(projectOf(path), deps);
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      const spec = node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : '';
      const lib = /^@herald\/([^/]+)/.exec(spec);
      if (lib && !(ts.isImportDeclaration(node) && node.importClause?.isTypeOnly)) deps.add(`libs/${lib[1]}`);
    }
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.end).line;
      functions.push({ where: `${path}:${start + 1}`, name: nameOf(node), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

function nameOf(node) {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
  )
    return parent.name.getText();
  return '(anonymous)';
}

// A comment line is one whose text starts with //, /* or * (a block comment's body).
const COMMENT_LINE = /^\s*(\/\/|\/\*|\*)/;
const commentBlocks = [];
for (const path of allFiles) {
  const text = readFileSync(join(root, path), 'utf8').split('\n');
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && COMMENT_LINE.test(text[i])) continue;
    if (i - start >= 5) commentBlocks.push({ where: `${path}:${start + 1}`, lines: i - start });
    start = i + 1;
  }
}

const sortedFunctions = functions.sort((a, b) => b.lines - a.lines);
const median = sortedFunctions[Math.floor(sortedFunctions.length / 2)]?.lines ?? 0;
console.log(
  `# Structure of ${relative(process.cwd(), root) || '.'}: ${files.length} files, ${[...lines.values()].reduce((a, b) => a + b, 0)} lines, ${functions.length} functions (median ${median} lines)`,
);
console.log(`\n## Largest files (lines)`);
for (const [path, n] of [...lines].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${String(n).padStart(5)}  ${path}`);
console.log(`\n## Largest functions (lines)`);
for (const f of sortedFunctions.slice(0, top)) console.log(`${String(f.lines).padStart(5)}  ${f.name}  ${f.where}`);
console.log(`\n## Project imports (value imports of @herald/*, production code)`);
for (const [project, deps] of [...graph].sort()) {
  const out = [...deps].filter((d) => d !== project).sort();
  console.log(`${project} -> ${out.length ? out.join(', ') : '(none)'}`);
}
console.log(`\n## Comment blocks of 5+ lines (apps/, libs/, specs included): ${commentBlocks.length}`);
if (listCommentBlocks) for (const b of commentBlocks) console.log(`${b.where}:${b.lines}`);
