// Extension test module run inside the real VS Code extension host. (Filled in by the harness work.)
export async function run(): Promise<void> {}
