// sql.js ships a build with its WebAssembly inlined; @types/sql.js only types the main entry.
declare module 'sql.js/dist/sql-wasm-inline.js' {
  import initSqlJs from 'sql.js';
  export = initSqlJs;
}
