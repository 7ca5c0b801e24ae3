// The `alembic-workbench` command line, on the same core as the extension.
process.stdout.write('alembic-workbench: not implemented yet\n');
